import { redact } from "../redact";
import { GlanceError } from "./base";

/** A lookup (`getImage`) found no image matching its filters; the message names them. */
export class ImageNotFoundError extends GlanceError {
  override name = "ImageNotFoundError";
  /** The filters as the message words them, e.g. `name "ubuntu", tags ["a", "b"]` (redacted). */
  readonly filters: string;
  constructor(filters: string, where: string) {
    super(`no image matches ${filters} at ${where}: check the filters (and that the image is visible to this project), or pass optional: true to get undefined instead`);
    this.filters = redact(filters);
  }
}

/** A lookup (`getImage`) found several images where it needs one; the message names the filters and the first ids. */
export class MultipleImagesFoundError extends GlanceError {
  override name = "MultipleImagesFoundError";
  /** The filters as the message words them (redacted). */
  readonly filters: string;
  constructor(
    filters: string,
    /** The ids found (the first few when there are many). */
    readonly imageIds: readonly string[],
    /** How many images matched. */
    readonly count: number,
    where: string,
  ) {
    super(`${count} images match ${filters} at ${where} (${imageIds.join(", ")}${count > imageIds.length ? ", …" : ""}): narrow the filters, or pass mostRecent: true to take the most recently created one`);
    this.filters = redact(filters);
  }
}
