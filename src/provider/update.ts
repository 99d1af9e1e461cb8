import type { GlanceClient } from "../glance/client";
import { planImagePatch } from "../glance/patch";
import type { GlanceImage } from "../glance/types";
import { lookupSha256 } from "../source/digest-cache";
import { sameStamp, statSourceFile } from "../source/file-source";
import { declaredAttributes, declaredProperties } from "./glance-keys";
import type { ImageInputs, ImageOutputs, SourceFingerprint } from "./inputs";
import { recordedStamp } from "./source-change";

/**
 * Brings the image to the new inputs with one PATCH of only the changed top-level keys (none when
 * nothing Glance holds changed). Properties the program declared before and dropped are removed;
 * keys others added are never touched.
 */
export async function updateImage(client: GlanceClient, id: string, olds: ImageOutputs, news: ImageInputs): Promise<{ image: GlanceImage; fingerprint?: SourceFingerprint | undefined }> {
  const current = await client.images.get(id);
  const before = declaredProperties(olds);
  const after = declaredProperties(news);
  const ops = planImagePatch(current, {
    // An unset `protected` is not managed: Glance's flag is left as it is.
    attributes: { ...declaredAttributes(news), ...(news.protected === undefined ? {} : { protected: news.protected }) },
    ...(news.tags === undefined ? {} : { tags: news.tags }),
    properties: after,
    removeProperties: Object.keys(before).filter((key) => !Object.hasOwn(after, key)),
  });
  const image = ops.length === 0 ? current : await client.images.patch(id, ops);
  return { image, fingerprint: await refreshFingerprint(olds.sourceFingerprint, news) };
}

/**
 * A file that moved or was touched with the same bytes gets its new stat identity recorded, but only
 * when the digest cache vouches for exactly that stamp (the diff just hashed it); otherwise the old
 * stamp stays and the next diff checks the bytes again.
 */
async function refreshFingerprint(print: SourceFingerprint | undefined, news: ImageInputs): Promise<SourceFingerprint | undefined> {
  const file = news.source?.file;
  if (print === undefined || print.kind !== "file" || file === undefined || print.sha256 === undefined) return print;
  const stamp = await statSourceFile(file);
  if (sameStamp(stamp, recordedStamp(print)) || (await lookupSha256(stamp)) !== print.sha256) return print;
  return { ...print, location: stamp.path, size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, dev: stamp.dev };
}
