import type { ImageDialect } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { isNotFound, ProtectedImageError } from "../errors";
import type { ImageOutputs } from "./inputs";

/**
 * Deletes the image, protection-aware: an image whose protection this program applied
 * (`protectionOwned`) is unprotected and deleted (so replacing a protected image works in one
 * `pulumi up`); one protected outside the program is refused with {@link ProtectedImageError} and left
 * protected. With `deletePolicy: "retire"` the image is hidden and kept. An image already gone (not
 * found at the endpoint it lives at, which `dialect` must talk to) counts as deleted.
 */
export async function deleteImage(dialect: ImageDialect, id: string, olds: ImageOutputs): Promise<void> {
  let image: ImageRecord;
  try {
    image = await dialect.get(id);
  } catch (error) {
    if (isNotFound(error)) return;
    throw error;
  }
  if (olds.deletePolicy === "retire") {
    if (!image.hidden) await dialect.update(id, image, () => ({ hidden: true }));
    return;
  }
  if (image.protected) {
    if (!ownsProtection(olds, image)) throw new ProtectedImageError(id);
    image = await dialect.update(id, image, () => ({ protected: false }));
  }
  try {
    await dialect.delete(id);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

/**
 * Whether the image's protection is this program's doing. State written before `protectionOwned`
 * existed recorded Glance's flag after a refresh, so its `protected: true` is trusted only while the
 * image is unchanged since that state was written (same `updatedAt`): protecting an image changes it.
 * A refresh decides this once, from the state as it was, and records it (`read()`), so the refreshed
 * `updatedAt` can never vouch for a protection someone else applied.
 */
export function ownsProtection(olds: ImageOutputs, image: ImageRecord): boolean {
  return olds.protectionOwned ?? (olds.protected === true && image.updatedAt === olds.updatedAt);
}
