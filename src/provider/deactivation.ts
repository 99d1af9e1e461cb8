import type { ImageDialect } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { InputError } from "../errors";

/**
 * Brings the image's activation to the declared `deactivated` (unset: not managed, nothing done) and
 * returns the image as it is then. Glance deactivates active images only; a refusal by the cloud's policy
 * is the dialect's InputError on `deactivated`.
 */
export async function applyDeactivation(dialect: ImageDialect, id: string, image: ImageRecord, want: boolean | undefined, signal?: AbortSignal): Promise<ImageRecord> {
  if (want === undefined || (image.status === "deactivated") === want) return image;
  if (dialect.setDeactivated === undefined || dialect.capabilities.deactivate !== true) {
    throw new InputError("deactivated", `${dialect.capabilities.label} cannot deactivate or reactivate images: remove deactivated or use glance:apiVersion v2`);
  }
  if (want && image.status !== "active") {
    throw new InputError("deactivated", `image ${id} is ${image.status}: only an active image (one whose data Glance holds) can be deactivated; set source, or remove deactivated`);
  }
  await dialect.setDeactivated(id, want, signal);
  return dialect.get(id, signal);
}
