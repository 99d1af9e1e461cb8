import { redact, redactUrl } from "./redact";

const BRAND = Symbol.for("pulumi-glance.error");

/**
 * The base of every error this package throws. Its message is redacted at construction, so no
 * password, secret or token registered with the provider can leave through an error.
 */
export class GlanceError extends Error {
  override name = "GlanceError";
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(redact(message), options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** True for any error thrown by this package, even across duplicate copies of it. */
export function isGlanceError(value: unknown): value is GlanceError {
  return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/** What is known of a failed HTTP exchange. */
export interface HttpErrorDetails {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** Glance's own message, with its HTML line breaks removed. */
  readonly serverMessage?: string;
  readonly requestId?: string;
  /** The server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number;
}

/** A non-success HTTP answer from Glance, Keystone or an image source. */
export class HttpError extends GlanceError {
  override name = "HttpError";
  readonly status: number;
  readonly method: string;
  /** The request URL, credentials removed. */
  readonly url: string;
  readonly serverMessage: string | undefined;
  /** `x-openstack-request-id`, to quote to the cloud's operators. */
  readonly requestId: string | undefined;
  /** The server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(details: HttpErrorDetails, options?: { cause?: unknown; context?: string }) {
    const url = redactUrl(details.url);
    const what = options?.context === undefined ? "" : `${options.context}: `;
    const server = details.serverMessage === undefined || details.serverMessage === "" ? "" : `: ${details.serverMessage}`;
    const rid = details.requestId === undefined ? "" : ` (request ${details.requestId})`;
    super(`${what}${details.method} ${url} answered ${details.status}${server}${rid}`, options);
    this.status = details.status;
    this.method = details.method;
    this.url = url;
    this.serverMessage = details.serverMessage === undefined ? undefined : redact(details.serverMessage);
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** True when `error` is an {@link HttpError} with one of the given statuses. */
export function isHttpStatus(error: unknown, ...statuses: number[]): error is HttpError {
  return error instanceof HttpError && statuses.includes(error.status);
}

/** True when `error` says the image (or the resource asked for) does not exist, whichever API answered. */
export function isNotFound(error: unknown): boolean {
  return isHttpStatus(error, 404);
}

/** A success status whose body is not the JSON the API promises (a proxy's HTML page, a wrong endpoint). */
export class BodyFormatError extends HttpError {
  override name = "BodyFormatError";
  constructor(details: Omit<HttpErrorDetails, "serverMessage">, body: string, options?: { cause?: unknown; context?: string }) {
    const snippet = body.replace(/\s+/g, " ").trim();
    super(
      { ...details, serverMessage: `the body is not JSON ("${snippet.length > 120 ? `${snippet.slice(0, 120)}…` : snippet}"): check that the URL is the API endpoint itself, not a proxy's or portal's page` },
      options,
    );
  }
}

/** The network failed before an HTTP answer arrived (refused, reset, DNS, TLS, timeout). */
export class NetworkError extends GlanceError {
  override name = "NetworkError";
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    const safeUrl = redactUrl(url);
    super(`${method} ${safeUrl} failed: ${describeCause(cause)}`, { cause });
    this.method = method;
    this.url = safeUrl;
  }
}

/** An operation was cancelled (SIGINT, SIGTERM, or its caller's abort signal). */
export class CancelledError extends GlanceError {
  override name = "CancelledError";
  /** @param by a signal name (`SIGINT`), what cancelled it ("its caller"), or why the create stopped ("the Pulumi engine exited") */
  constructor(by: string, options?: { cause?: unknown }) {
    super(/^(SIG[A-Z]+|its )/.test(by) ? `cancelled by ${by}` : `cancelled: ${by}`, options);
  }
}

/**
 * The error an aborted operation rejects with: the signal's reason when it is one of this package's
 * errors, else a {@link CancelledError} carrying the reason as its cause.
 */
export function abortError(signal: AbortSignal | undefined): GlanceError {
  const reason: unknown = signal?.reason;
  if (isGlanceError(reason)) return reason;
  const why = reason instanceof Error && reason.name === "TimeoutError" ? "its deadline" : "its caller";
  const said = reason instanceof Error && reason.message !== "" ? ` (${describeCause(reason)})` : "";
  return new CancelledError(`${why}${said}`, reason === undefined ? undefined : { cause: reason });
}

/** An image reached a status it cannot leave towards the one awaited (killed, deleted, failed import…). */
export class ImageStatusError extends GlanceError {
  override name = "ImageStatusError";
  constructor(
    readonly imageId: string,
    readonly lastStatus: string,
    readonly reason: string,
  ) {
    super(`image ${imageId} is ${lastStatus}: ${reason}`);
  }
}

/**
 * An import (web-download, glance-direct) failed inside Glance: its task ended in `failure`, or Glance
 * recorded `os_glance_failed_import`. `taskReason` is Glance's own message (with the task id).
 */
export class ImportFailedError extends ImageStatusError {
  override name = "ImportFailedError";
  constructor(
    imageId: string,
    lastStatus: string,
    readonly taskReason: string,
    /** What was imported, e.g. `web-download of https://…` (redacted). */
    readonly what = "import",
    /** What to do about it, appended as a sentence. */
    readonly hint = "",
    /** True once the half-made image has been deleted. */
    readonly imageDeleted = false,
  ) {
    super(imageId, lastStatus, `${what} failed in Glance (${taskReason})${imageDeleted ? `; the half-made image ${imageId} was deleted` : ""}${hint === "" ? "" : `: ${hint}`}`);
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

/** A deadline passed while waiting for an image or an operation. */
export class TimeoutError extends GlanceError {
  override name = "TimeoutError";
  constructor(
    /** Which timeout fired, e.g. `createTimeout` or `idleTimeout`. */
    readonly timeout: string,
    readonly elapsedMs: number,
    readonly imageId?: string,
    /** The last status observed, when waiting for an image. */
    readonly lastStatus?: string,
    detail?: string,
    options?: { cause?: unknown },
  ) {
    const img = imageId === undefined ? "" : ` for image ${imageId}`;
    const st = lastStatus === undefined ? "" : ` (last status: ${lastStatus})`;
    super(`${timeout} of ${Math.round(elapsedMs / 1000)} s expired${img}${st}${detail === undefined ? "" : `: ${detail}`}`, options);
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

/** The image source (file or URL) cannot be read. */
export class ImageSourceError extends GlanceError {
  override name = "ImageSourceError";
  /** The message without the field's name, for reports that name the field already. */
  readonly detail: string;
  /** True when another attempt may succeed (a URL source that broke mid-download); the upload retries it. */
  readonly transient: boolean;
  constructor(
    /** The input field at fault, e.g. `source.file`. */
    readonly field: string,
    message: string,
    options?: { cause?: unknown; transient?: boolean },
  ) {
    super(`${field}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.detail = redact(message);
    this.transient = options?.transient === true;
  }
}

/** An input is invalid; the message names the field and the fix. */
export class InputError extends GlanceError {
  override name = "InputError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Keystone refused the credentials or the settings do not describe a usable identity. */
export class AuthError extends GlanceError {
  override name = "AuthError";
}

/** An operation failed after the image was made, and deleting the half-made image failed too. */
export class CleanupError extends GlanceError {
  override name = "CleanupError";
  constructor(
    readonly imageId: string,
    readonly original: unknown,
    readonly cleanupFailure: unknown,
  ) {
    super(
      `${describeCause(original)}; the half-made image ${imageId} could not be deleted (${describeCause(cleanupFailure)}): delete it by hand`,
      { cause: original },
    );
  }
}

/** A short, redacted description of any thrown value. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const inner = cause.cause instanceof Error && !cause.message.includes(cause.cause.message) ? ` (${cause.cause.message})` : "";
    return redact(`${typeof code === "string" && !cause.message.includes(code) ? `${code} ` : ""}${cause.message}${inner}`);
  }
  return redact(String(cause));
}
