import { ImageSourceError } from "../errors";

/**
 * The server inspected uploaded data and refused it as not being the declared disk format (Glance 33's
 * 415). A dialect throws it with what it learnt; the provider, which knows the source, words the message.
 * The rejected data may stay with the image: another upload to it is pointless, so it is never retried.
 */
export class DataFormatRefusal extends ImageSourceError {
  override name = "DataFormatRefusal";
  constructor(
    /** The format the image declares, when the server said it. */
    readonly declared: string | undefined,
    /** The format the server found, when it said it. */
    readonly detected: string | undefined,
    /** The server's own words. */
    readonly said: string,
    options?: { cause?: unknown },
  ) {
    super("source", `the data is not the declared diskFormat (the server refused the upload: ${said})`, options);
  }
}
