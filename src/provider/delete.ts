import { isHttpStatus, ProtectedImageError } from "../errors";
import type { GlanceClient } from "../glance/client";
import { replaceOp } from "../glance/patch";
import type { GlanceImage } from "../glance/types";
import type { ImageOutputs } from "./inputs";

/**
 * Deletes the image, protection-aware: an image whose protection this program applied
 * (`protectionOwned`) is unprotected and deleted (so replacing a protected image works in one
 * `pulumi up`); one protected outside the program is refused with {@link ProtectedImageError} and left
 * protected. With `deletePolicy: "retire"` the image is hidden (`os_hidden`) and kept. An image already
 * gone (404 at the endpoint it lives at, which `client` must talk to) counts as deleted.
 */
export async function deleteImage(client: GlanceClient, id: string, olds: ImageOutputs): Promise<void> {
  let image: GlanceImage;
  try {
    image = await client.images.get(id);
  } catch (error) {
    if (isHttpStatus(error, 404)) return;
    throw error;
  }
  if (olds.deletePolicy === "retire") {
    if (!image.os_hidden) await client.images.patch(id, [replaceOp("os_hidden", true)]);
    return;
  }
  if (image.protected) {
    if (!ownsProtection(olds, image)) throw new ProtectedImageError(id);
    await client.images.patch(id, [replaceOp("protected", false)]);
  }
  try {
    await client.images.delete(id);
  } catch (error) {
    if (!isHttpStatus(error, 404)) throw error;
  }
}

/**
 * Whether the image's protection is this program's doing. State written before `protectionOwned`
 * existed recorded Glance's flag after a refresh, so its `protected: true` is trusted only while the
 * image is unchanged since that state was written (same `updated_at`): protecting an image changes it.
 * A refresh decides this once, from the state as it was, and records it (`read()`), so the refreshed
 * `updatedAt` can never vouch for a protection someone else applied.
 */
export function ownsProtection(olds: ImageOutputs, image: GlanceImage): boolean {
  return olds.protectionOwned ?? (olds.protected === true && image.updated_at === olds.updatedAt);
}
