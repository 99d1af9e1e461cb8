import { cachedDigest } from "../source/digest-cache";
import type { FileDigestAlgorithm } from "../source/file-digest";
import { statSourceFile, sameStamp, type FileStamp } from "../source/file-source";
import { hasUrlSecrets, sameUrlObject } from "../source/url-identity";
import type { SourceFingerprint, SourceInputs } from "./inputs";
import { isUnknown } from "./unknown";

/**
 * Whether the data a source would provide differs from what was uploaded, and why. Anything else about
 * a source (a file moved or touched with the same bytes, an expected digest that matches, credentials)
 * changes nothing Glance holds, so it is no change at all.
 */
export interface SourceVerdict {
  /** The image's data would change: the image must be replaced. */
  readonly replace: boolean;
  /** A sentence for the user. */
  readonly reason?: string;
  /** Nothing about the data changes, but state must be rewritten in place (an update): why. */
  readonly rewrite?: string;
}

const SAME: SourceVerdict = { replace: false };

/**
 * Only these identify the data; headers, username and password only say how to fetch it. (`glanceImage` is
 * compared field by field below: its id and region identify the data, its serviceInterface does not.)
 */
const IDENTITY = ["file", "url", "sha256", "sha512", "decompress"] as const;

/**
 * Compares a new source with the fingerprint of what was uploaded. Cheap when nothing changed: a
 * file is only stat'ed; when its stat identity moved (ctime included, so bytes rewritten with the
 * mtime set back are caught) its digest (the one the fingerprint recorded, see {@link fileDigest}) comes
 * from the local digest cache or one streamed read, and it is replaced only if its bytes differ. A URL is identified by its address and the expected digests.
 */
export async function compareSource(
  old: { source?: SourceInputs | undefined; fingerprint?: SourceFingerprint | undefined },
  next: SourceInputs | undefined,
): Promise<SourceVerdict> {
  if (next !== undefined && isUnknown(next) && typeof next !== "object") return { replace: true, reason: "source is not known until apply" };
  const unknownIdentity = next === undefined ? undefined : IDENTITY.find((key) => isUnknown(next[key]));
  if (unknownIdentity !== undefined) return { replace: true, reason: `source.${unknownIdentity} is not known until apply` };
  const before = old.source;
  if (before === undefined && next === undefined) return SAME;
  if (before === undefined || next === undefined) return { replace: true, reason: next === undefined ? "source was removed" : "source was added" };
  const print = old.fingerprint;

  // Another region's image: its id and region name the data (images' data never changes); the interface does not.
  if (next.glanceImage !== undefined) {
    const was = before.glanceImage;
    if (was === undefined) return { replace: true, reason: "source changed to another region's image (source.glanceImage)" };
    if (typeof next.glanceImage !== "object" || next.glanceImage === null) return { replace: true, reason: "source.glanceImage is not known until apply" };
    for (const key of ["id", "region"] as const) {
      if (isUnknown(next.glanceImage[key])) return { replace: true, reason: `source.glanceImage.${key} is not known until apply` };
      if (next.glanceImage[key] !== was[key]) return { replace: true, reason: `source.glanceImage.${key} changed (${was[key]} → ${next.glanceImage[key]})` };
    }
    return SAME;
  }
  if (before.glanceImage !== undefined) return { replace: true, reason: "source changed from another region's image to a file or URL" };

  if (next.file !== undefined) {
    const stamp = await statSourceFile(next.file);
    const recorded = print?.kind === "file" ? fileDigest(print) : undefined;
    if (print === undefined || recorded === undefined) {
      return before.file === next.file ? SAME : { replace: true, reason: "source changed from a URL to a file" };
    }
    // The file holds the uploaded bytes: an expected digest the upload did not compute is taken from the file.
    const fromFile = (algorithm: FileDigestAlgorithm): Promise<string> => cachedDigest(stamp, algorithm);
    if (sameStamp(stamp, recordedStamp(print))) return digestVerdict(print, next, before, fromFile);
    const now = stamp.size === print.size ? await cachedDigest(stamp, recorded.algorithm) : undefined;
    if (now !== recorded.value) {
      return { replace: true, reason: `the content of ${stamp.path} changed (${recorded.algorithm} ${recorded.value.slice(0, 12)}… → ${now === undefined ? `size ${String(print.size)} → ${stamp.size}` : `${now.slice(0, 12)}…`})` };
    }
    return digestVerdict(print, next, before, fromFile);
  }

  if (next.url !== undefined) {
    if (isUnknown(next.url)) return { replace: true, reason: "source.url is not known until apply" };
    // A re-signed URL (new signature/expiry query values) names the same object: not a change.
    if (!sameUrlObject({ identity: print?.urlIdentity, url: before.url }, next.url)) return { replace: true, reason: "source.url changed" };
    const verdict = await digestVerdict(print, next, before);
    // State from before URL identities kept the raw URL: one that has a query is recorded again, masked, with its identity.
    const legacy = print?.kind === "url" && print.urlIdentity === undefined && before.url !== undefined && hasUrlSecrets(before.url);
    return verdict.replace || !legacy ? verdict : { replace: false, rewrite: "the stored URL is rewritten without its query values" };
  }
  return SAME;
}

/**
 * The digest a file fingerprint identifies the bytes by. An upload records the SHA-512 it computes anyway
 * (Glance's `os_hash_algo`), and SHA-256 only when `source.sha256` asks for it; state written before that
 * holds both, and is compared by its SHA-256 as it always was (the digest cache holds those), so old state
 * plans exactly what it planned before.
 */
export function fileDigest(print: SourceFingerprint): { readonly algorithm: FileDigestAlgorithm; readonly value: string } | undefined {
  if (print.sha256 !== undefined) return { algorithm: "sha256", value: print.sha256 };
  if (print.sha512 !== undefined) return { algorithm: "sha512", value: print.sha512 };
  return undefined;
}

/** The stamp a file fingerprint recorded; a field missing from older state never matches. */
export function recordedStamp(print: SourceFingerprint): FileStamp {
  return { path: print.location, size: print.size ?? -1, mtimeMs: print.mtimeMs ?? -1, ctimeMs: print.ctimeMs ?? -1, ino: print.ino ?? -1, dev: print.dev ?? -1 };
}

/**
 * An expected digest that differs from the digest of the uploaded bytes means other bytes are wanted.
 * Every changed algorithm is checked: one that matches never hides another that does not. A digest the
 * upload did not compute is unknown for a URL; for a file whose bytes are the uploaded ones (`fromFile`,
 * called only when an expected digest changed) it is computed from the file (one read, remembered in the
 * digest cache), so adding `source.sha256` to a file source replaces nothing when it matches.
 */
async function digestVerdict(print: SourceFingerprint | undefined, next: SourceInputs, before: SourceInputs, fromFile?: (algorithm: FileDigestAlgorithm) => Promise<string>): Promise<SourceVerdict> {
  const reasons: string[] = [];
  for (const algo of ["sha256", "sha512"] as const) {
    const wanted = next[algo]?.toLowerCase();
    if (wanted === undefined || wanted === before[algo]?.toLowerCase()) continue;
    const actual = print?.[algo] ?? (await fromFile?.(algo));
    if (actual === undefined) reasons.push(`source.${algo} changed and the uploaded bytes' ${algo} is not known`);
    else if (actual !== wanted) reasons.push(`source.${algo} no longer matches the uploaded bytes`);
  }
  const decompress = decompressReason(print, next, before);
  if (decompress !== undefined) reasons.push(decompress);
  return reasons.length === 0 ? SAME : { replace: true, reason: reasons.join("; ") };
}

/**
 * A changed `source.decompress` uploads other bytes, unless the fingerprint shows the same ones: `auto`
 * undoes what was undone before (same source bytes, same magic), and naming the format that was undone
 * (or `none` when nothing was) changes nothing either.
 */
function decompressReason(print: SourceFingerprint | undefined, next: SourceInputs, before: SourceInputs): string | undefined {
  const wanted = next.decompress ?? "none";
  if (wanted === (before.decompress ?? "none") || print === undefined) return undefined;
  const undone = print.decompressed?.format ?? "none";
  if (wanted === undone) return undefined;
  // To auto from a format that was undone: the same. From nothing undone: the same only if the data is in
  // no known format, which is not known without reading it, so it is replaced.
  if (wanted === "auto" && undone !== "none") return undefined;
  return `source.decompress changed from ${before.decompress ?? "none"} to ${wanted} (${undone === "none" ? "the data was uploaded as fetched" : `${undone} was undone`})`;
}
