import { describeCause, GlanceError, isGlanceError } from "./base";

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
