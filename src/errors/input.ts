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

/**
 * The server inspected uploaded data and refused it as not being the declared disk format (Glance 33's
 * 415). A dialect throws it with what it learnt; the provider, which knows the source, words the message
 * (as an {@link ImageSourceError} naming `source.file` or `source.url`). The rejected data may stay with the
 * image: another upload to it is pointless, so it is never retried.
 */
export class DataFormatError extends ImageSourceError {
  override name = "DataFormatError";
  /** The server's own words, redacted. */
  readonly said: string;
  constructor(
    /** The format the image declares, when the server said it. */
    readonly declared: string | undefined,
    /** The format the server found, when it said it. */
    readonly detected: string | undefined,
    /** The server's own words. */
    said: string,
    options?: { cause?: unknown },
  ) {
    super("source", `the data is not the declared diskFormat (the server refused the upload: ${said})`, options);
    this.said = redact(said);
  }
}
