import { redact } from "../redact";
import { GlanceError } from "./base";

/** An input is invalid; the message names the field and the fix. */
export class InputError extends GlanceError {
  override name = "InputError";
  constructor(
    /** The input field at fault, e.g. `diskFormat`. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
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
