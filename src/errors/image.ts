import { redact } from "../redact";
import { describeCause, GlanceError, redactCause } from "./base";

/** An image reached a status it cannot leave towards the one awaited (killed, deleted, failed import…). */
export class ImageStatusError extends GlanceError {
  override name = "ImageStatusError";
  /** Why the image cannot reach the awaited status (redacted). */
  readonly reason: string;
  constructor(
    readonly imageId: string,
    readonly lastStatus: string,
    reason: string,
  ) {
    super(`image ${imageId} is ${lastStatus}: ${reason}`);
    this.reason = redact(reason);
  }
}

/**
 * An import (web-download, glance-direct) failed inside Glance: its task ended in `failure`, or Glance
 * recorded `os_glance_failed_import`. `taskReason` is Glance's own message (with the task id).
 */
export class ImportFailedError extends ImageStatusError {
  override name = "ImportFailedError";
  /** Glance's own message (with the task id), redacted: it may quote the URL Glance fetched. */
  readonly taskReason: string;
  /** What was imported, e.g. `web-download of https://…` (redacted). */
  readonly what: string;
  /** What to do about it, appended as a sentence. */
  readonly hint: string;
  constructor(
    imageId: string,
    lastStatus: string,
    taskReason: string,
    what = "import",
    hint = "",
    /** True once the half-made image has been deleted. */
    readonly imageDeleted = false,
  ) {
    super(imageId, lastStatus, `${what} failed in Glance (${taskReason})${imageDeleted ? `; the half-made image ${imageId} was deleted` : ""}${hint === "" ? "" : `: ${hint}`}`);
    this.taskReason = redact(taskReason);
    this.what = redact(what);
    this.hint = redact(hint);
  }

  /** The same failure, told as the import of `what`, with a hint. */
  about(what: string, hint: string): ImportFailedError {
    return new ImportFailedError(this.imageId, this.lastStatus, this.taskReason, what, hint, this.imageDeleted);
  }

  /** The same failure, told after the half-made image was deleted. */
  withImageDeleted(): ImportFailedError {
    return new ImportFailedError(this.imageId, this.lastStatus, this.taskReason, this.what, this.hint, true);
  }
}

/** The bytes Glance stored differ from the bytes sent, or from the digest the program expects. */
export class ChecksumMismatchError extends GlanceError {
  override name = "ChecksumMismatchError";
  constructor(
    readonly imageId: string | undefined,
    readonly algorithm: string,
    readonly expected: string,
    readonly actual: string,
    what: string,
  ) {
    super(`${what}: ${algorithm} expected ${expected}, got ${actual}`);
  }
}

/** An operation failed after the image was made, and deleting the half-made image failed too. */
export class CleanupError extends GlanceError {
  override name = "CleanupError";
  /** The failure that made the image half-made (also the `cause`), redacted. */
  readonly original: unknown;
  /** Why deleting the half-made image failed, redacted. */
  readonly cleanupFailure: unknown;
  constructor(
    /** The image left behind, to delete by hand. */
    readonly imageId: string,
    original: unknown,
    cleanupFailure: unknown,
  ) {
    super(
      `${describeCause(original)}; the half-made image ${imageId} could not be deleted (${describeCause(cleanupFailure)}): delete it by hand`,
      { cause: original },
    );
    this.original = this.cause;
    this.cleanupFailure = redactCause(cleanupFailure);
  }
}

/** Raised when an image is protected by someone other than this program: it is left alone, protected. */
export class ProtectedImageError extends GlanceError {
  override name = "ProtectedImageError";
  constructor(readonly imageId: string) {
    super(
      `image ${imageId} is protected, but not by this program (it never applied a declared protected: true), so it was protected outside Pulumi and is left alone. ` +
        `Whoever protected it must unprotect it (openstack image set --unprotected ${imageId}), or set protected: true on the resource and run pulumi up to let Pulumi manage the protection`,
    );
  }
}
