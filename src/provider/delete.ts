import { GlanceError, isHttpStatus } from "../errors";
import type { GlanceClient } from "../glance/client";
import { replaceOp } from "../glance/patch";
import type { GlanceImage } from "../glance/types";
import type { ImageOutputs } from "./inputs";

/** Raised when an image is protected by someone other than this program. */
export class ProtectedImageError extends GlanceError {
  override name = "ProtectedImageError";
  constructor(readonly imageId: string) {
    super(
      `image ${imageId} is protected, but this program does not declare protected: true, so it was protected outside Pulumi and is left alone. ` +
        `Whoever protected it must unprotect it (openstack image set --unprotected ${imageId}), or set protected: true on the resource and run pulumi up to let Pulumi manage the protection`,
    );
  }
}

/**
 * Deletes the image, protection-aware: an image this program declared protected is unprotected and
 * deleted (so replacing a protected image works in one `pulumi up`); one protected outside the program
 * is refused with {@link ProtectedImageError}. With `deletePolicy: "retire"` the image is hidden
 * (`os_hidden`) and kept. An image already gone counts as deleted.
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
    if (olds.protected !== true) throw new ProtectedImageError(id);
    await client.images.patch(id, [replaceOp("protected", false)]);
  }
  try {
    await client.images.delete(id);
  } catch (error) {
    if (!isHttpStatus(error, 404)) throw error;
  }
}
