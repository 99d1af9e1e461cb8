import { statSourceFile, sameStamp } from "../source/file-source";
import { sha256File } from "../source/file-digest";
import { hasUrlSecrets, sameUrlObject } from "../source/url-identity";
import type { SourceFingerprint, SourceInputs } from "./inputs";
import { isUnknown } from "./unknown";

/** Whether the data a source would provide differs from what was uploaded, and why. */
export interface SourceVerdict {
  /** The image's data would change: the image must be replaced. */
  readonly replace: boolean;
  /** Something about the source changed that is only recorded (e.g. a file moved with the same bytes). */
  readonly record: boolean;
  /** A sentence for the user. */
  readonly reason?: string;
}

const SAME: SourceVerdict = { replace: false, record: false };

/**
 * Compares a new source with the fingerprint of what was uploaded. Cheap when nothing changed: a
 * file is only stat'ed; it is hashed only when its stat identity moved, and then it is replaced only
 * if its bytes differ. A URL is identified by its address and the expected digests.
 */
export async function compareSource(
  old: { source?: SourceInputs | undefined; fingerprint?: SourceFingerprint | undefined },
  next: SourceInputs | undefined,
): Promise<SourceVerdict> {
  if (next !== undefined && isUnknown(next)) return { replace: true, record: false, reason: "source is not known until apply" };
  const before = old.source;
  if (before === undefined && next === undefined) return SAME;
  if (before === undefined || next === undefined) return { replace: true, record: false, reason: next === undefined ? "source was removed" : "source was added" };
  const print = old.fingerprint;

  if (next.file !== undefined) {
    const stamp = await statSourceFile(next.file);
    if (print === undefined || print.kind !== "file" || print.sha256 === undefined) {
      return before.file === next.file ? SAME : { replace: true, record: false, reason: "source changed from a URL to a file" };
    }
    const stampNow = { path: stamp.path, size: stamp.size, mtimeMs: stamp.mtimeMs, ino: stamp.ino, dev: stamp.dev };
    const stampThen = { path: print.location, size: print.size ?? -1, mtimeMs: print.mtimeMs ?? -1, ino: print.ino ?? -1, dev: print.dev ?? -1 };
    if (sameStamp(stampNow, stampThen)) return digestVerdict(print, next, before);
    const sha256 = stamp.size === print.size ? await sha256File(stamp.path) : undefined;
    if (sha256 !== print.sha256) {
      return { replace: true, record: false, reason: `the content of ${stamp.path} changed (sha256 ${print.sha256.slice(0, 12)}… → ${sha256 === undefined ? `size ${String(print.size)} → ${stamp.size}` : `${sha256.slice(0, 12)}…`})` };
    }
    const verdict = digestVerdict(print, next, before);
    return verdict.replace ? verdict : { replace: false, record: true, reason: `${stamp.path} was touched or moved but its bytes are unchanged` };
  }

  if (next.url !== undefined) {
    if (isUnknown(next.url)) return { replace: true, record: false, reason: "source.url is not known until apply" };
    // A re-signed URL (new signature/expiry query values) names the same object: not a change.
    if (!sameUrlObject({ identity: print?.urlIdentity, url: before.url }, next.url)) return { replace: true, record: false, reason: "source.url changed" };
    const verdict = digestVerdict(print, next, before);
    // State from before URL identities kept the raw URL: one that has a query is recorded again, masked, with its identity.
    const legacy = print?.kind === "url" && print.urlIdentity === undefined && before.url !== undefined && hasUrlSecrets(before.url);
    return verdict.replace || !legacy ? verdict : { replace: false, record: true, reason: "the stored source URL is rewritten without its query values" };
  }
  return SAME;
}

/** An expected digest that differs from the digest of the uploaded bytes means other bytes are wanted. */
function digestVerdict(print: SourceFingerprint | undefined, next: SourceInputs, before: SourceInputs): SourceVerdict {
  for (const algo of ["sha256", "sha512"] as const) {
    const wanted = next[algo]?.toLowerCase();
    if (wanted === undefined || wanted === before[algo]?.toLowerCase()) continue;
    const actual = print?.[algo];
    if (actual === undefined) return { replace: true, record: false, reason: `source.${algo} changed and the uploaded bytes' ${algo} is not known` };
    if (actual !== wanted) return { replace: true, record: false, reason: `source.${algo} no longer matches the uploaded bytes` };
    return { replace: false, record: true, reason: `source.${algo} matches the uploaded bytes` };
  }
  const removed = (["sha256", "sha512"] as const).some((algo) => before[algo] !== undefined && next[algo] === undefined);
  const moved = before.file !== next.file || before.username !== next.username;
  return removed || moved ? { replace: false, record: true } : SAME;
}
