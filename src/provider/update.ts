import type { ImageDialect } from "../dialects/dialect";
import type { ImageChange, ImageRecord } from "../dialects/image-record";
import { lookupDigest } from "../source/digest-cache";
import { sameStamp, statSourceFile } from "../source/file-source";
import { urlFingerprint } from "../source/url-identity";
import { applyDeactivation } from "./deactivation";
import { managesStores, storeTargets, syncStores } from "./stores";
import { declaredProperties, namingTypedInput } from "./typed-properties";
import { declaredAttributes, type ImageInputs, type ImageOutputs, type SourceFingerprint } from "./inputs";
import { fileDigest, recordedStamp } from "./source-change";

/**
 * Brings the image to the new inputs with one update of only the changed fields (nothing sent when
 * nothing the server holds changed). Properties the program declared before and dropped are removed;
 * keys others added are never touched. Refusals that are an input's fault name the input.
 */
export async function updateImage(dialect: ImageDialect, id: string, olds: ImageOutputs, news: ImageInputs): Promise<{ image: ImageRecord; fingerprint?: SourceFingerprint | undefined }> {
  const current = await dialect.get(id);
  const before = declaredProperties(olds);
  const after = declaredProperties(news);
  const change: ImageChange = {
    ...declaredAttributes(news),
    // An unset `protected` is not managed: the server's flag is left as it is.
    ...(news.protected === undefined ? {} : { protected: news.protected }),
    ...(news.tags === undefined ? {} : { tags: news.tags }),
    properties: after,
    removeProperties: Object.keys(before).filter((key) => !Object.hasOwn(after, key)),
  };
  try {
    const patched = await dialect.update(id, current, () => change);
    // Stores before deactivation: a deactivated image's data cannot be copied.
    const stored = managesStores(news) ? await syncStores(dialect, id, patched, news, await storeTargets(dialect, news), news.createTimeoutSeconds * 1000) : patched;
    const image = await applyDeactivation(dialect, id, stored, news.deactivated);
    return { image, fingerprint: await refreshFingerprint(olds.sourceFingerprint, news) };
  } catch (error) {
    throw namingTypedInput(error);
  }
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
  const recorded = print?.kind === "file" ? fileDigest(print) : undefined;
  if (print === undefined || recorded === undefined || file === undefined) return print;
  const stamp = await statSourceFile(file);
  if (sameStamp(stamp, recordedStamp(print)) || (await lookupDigest(stamp, recorded.algorithm)) !== recorded.value) return print;
  return { ...print, location: stamp.path, size: stamp.size, mtimeMs: stamp.mtimeMs, ctimeMs: stamp.ctimeMs, ino: stamp.ino, dev: stamp.dev };
}
