import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import type { FileStamp } from "./file-source";
import { digestFile, type FileDigestAlgorithm } from "./file-digest";

/** At most this many files are remembered; the least recently used are dropped first. */
const MAX_DIGEST_ENTRIES = 512;

/**
 * `${XDG_CACHE_HOME:-~/.cache}/pulumi-glance/file-digests.json`, read at call time. It holds absolute
 * paths, stat identities and SHA-256/SHA-512 digests: nothing secret.
 */
export function digestCachePath(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env["XDG_CACHE_HOME"];
  return join(xdg !== undefined && xdg !== "" ? xdg : join(homedir(), ".cache"), "pulumi-glance", "file-digests.json");
}

/** One file's stamp and the digests known for exactly that stamp (at least one). */
interface Entry {
  readonly key: string;
  readonly sha256?: string;
  readonly sha512?: string;
}

const HEX_LENGTH: Readonly<Record<FileDigestAlgorithm, number>> = { sha256: 64, sha512: 128 };

/** The full stat identity: any write, utimes(), rename over, or copy moves at least one field. */
export function stampKey(stamp: FileStamp): string {
  return JSON.stringify([stamp.path, stamp.size, stamp.mtimeMs, stamp.ctimeMs, stamp.ino, stamp.dev]);
}

/**
 * A digest (`algorithm`: the one the fingerprint recorded) of a file whose stat identity moved, from a
 * small local cache (like git's index) keyed by the full stamp, so a file that was touched but kept its
 * bytes is hashed once, and every later preview only stats it. On a miss the file is hashed (one streamed
 * read) and the digest remembered. The cache is advisory: a missing, corrupt or unwritable file only costs
 * a hash; writes go to a temp file renamed over the old one, so concurrent previews never see half a file
 * (the last writer wins).
 */
export async function cachedDigest(stamp: FileStamp, algorithm: FileDigestAlgorithm, path = digestCachePath()): Promise<string> {
  const key = stampKey(stamp);
  const entries = await load(path);
  const hit = entries.find((e) => e.key === key);
  const known = hit?.[algorithm];
  if (hit !== undefined && known !== undefined) {
    if (entries.at(-1) !== hit) await save(path, [...entries.filter((e) => e !== hit), hit]);
    return known;
  }
  const digest = await digestFile(stamp.path, algorithm);
  // One entry per path: the new digest replaces the file's older stamps, and joins the other digest of this one.
  await save(path, [...entries.filter((e) => (JSON.parse(e.key) as unknown[])[0] !== stamp.path), { ...hit, key, [algorithm]: digest }]);
  return digest;
}

/** The remembered digest for exactly this stamp, if any (no hashing). */
export async function lookupDigest(stamp: FileStamp, algorithm: FileDigestAlgorithm, path = digestCachePath()): Promise<string | undefined> {
  const key = stampKey(stamp);
  return (await load(path)).find((e) => e.key === key)?.[algorithm];
}

async function load(path: string): Promise<Entry[]> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as { version?: unknown; entries?: unknown };
    if (parsed.version !== 1 || !Array.isArray(parsed.entries)) return [];
    return parsed.entries.filter((e): e is Entry => typeof e === "object" && e !== null && typeof (e as Entry).key === "string" && isKey((e as Entry).key) && hasDigests(e as Entry));
  } catch {
    return [];
  }
}

/** At least one digest, and every digest present well-formed (an entry from an older version has sha256 only). */
function hasDigests(entry: Entry): boolean {
  const algorithms = (["sha256", "sha512"] as const).filter((a) => entry[a] !== undefined);
  return algorithms.length > 0 && algorithms.every((a) => typeof entry[a] === "string" && new RegExp(`^[0-9a-f]{${HEX_LENGTH[a]}}$`).test(entry[a]));
}

function isKey(key: string): boolean {
  try {
    return Array.isArray(JSON.parse(key));
  } catch {
    return false;
  }
}

async function save(path: string, entries: readonly Entry[]): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(temp, JSON.stringify({ version: 1, entries: entries.slice(-MAX_DIGEST_ENTRIES) }), { mode: 0o600 });
    await rename(temp, path);
  } catch {
    await rm(temp, { force: true }).catch(() => undefined);
  }
}
