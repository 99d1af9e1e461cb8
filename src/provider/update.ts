import type { GlanceClient } from "../glance/client";
import { HttpError } from "../errors";
import { planImagePatch, unescapeSegment, type PatchOperation } from "../glance/patch";
import type { GlanceImage } from "../glance/types";
import { lookupSha256 } from "../source/digest-cache";
import { sameStamp, statSourceFile } from "../source/file-source";
import { urlFingerprint } from "../source/url-identity";
import { declaredAttributes, declaredProperties } from "./glance-keys";
import type { ImageInputs, ImageOutputs, SourceFingerprint } from "./inputs";
import { recordedStamp } from "./source-change";
import { patchToward } from "./patch-toward";
import { explainRefusal } from "./refusals";

/**
 * Brings the image to the new inputs with one PATCH of only the changed top-level keys (none when
 * nothing Glance holds changed). Properties the program declared before and dropped are removed;
 * keys others added are never touched.
 */
export async function updateImage(client: GlanceClient, id: string, olds: ImageOutputs, news: ImageInputs): Promise<{ image: GlanceImage; fingerprint?: SourceFingerprint | undefined }> {
  const current = await client.images.get(id);
  const before = declaredProperties(olds);
  const after = declaredProperties(news);
  const desired = {
    // An unset `protected` is not managed: Glance's flag is left as it is.
    attributes: { ...declaredAttributes(news), ...(news.protected === undefined ? {} : { protected: news.protected }) },
    ...(news.tags === undefined ? {} : { tags: news.tags }),
    properties: after,
    removeProperties: Object.keys(before).filter((key) => !Object.hasOwn(after, key)),
  };
  let sent: PatchOperation[] = [];
  const plan = (image: GlanceImage): PatchOperation[] => (sent = planImagePatch(image, desired));
  try {
    const image = await patchToward(client, id, current, plan);
    return { image, fingerprint: await refreshFingerprint(olds.sourceFingerprint, news) };
  } catch (error) {
    throw explained(error, sent);
  }
}

/** Glance's refusals that are an input's fault become that input's {@link InputError}; others stay as they are. */
function explained(error: unknown, ops: readonly PatchOperation[]): unknown {
  if (!(error instanceof HttpError)) return error;
  const visibility = ops.find((op) => op.path === "/visibility" && op.op !== "remove");
  const keys = ops.map((op) => unescapeSegment(op.path.slice(1)));
  return explainRefusal(error, { action: "update", keys, visibility: visibility !== undefined && "value" in visibility ? String(visibility.value) : undefined }) ?? error;
}

/**
 * A file that moved or was touched with the same bytes gets its new stat identity recorded, but only
 * when the digest cache vouches for exactly that stamp (the diff just hashed it); otherwise the old
 * stamp stays and the next diff checks the bytes again. A URL gets its masked form and identity.
 */
async function refreshFingerprint(print: SourceFingerprint | undefined, news: ImageInputs): Promise<SourceFingerprint | undefined> {
  const url = news.source?.url;
  if (print?.kind === "url" && url !== undefined) return { ...print, ...urlFingerprint(url) };
  const file = news.source?.file;
  if (print === undefined || print.kind !== "file" || file === undefined || print.sha256 === undefined) return print;
  const stamp = await statSourceFile(file);
  if (sameStamp(stamp, recordedStamp(print)) || (await lookupSha256(stamp)) !== print.sha256) return print;
  return { ...print, location: stamp.path, size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, dev: stamp.dev };
}
