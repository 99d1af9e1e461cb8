import type { DialectCapabilities } from "../dialects/dialect";
import type { ImageRecord } from "../dialects/image-record";
import { ChecksumMismatchError } from "../errors";
import type { StreamDigests } from "../source/digester";
import type { SourceInputs } from "./inputs";

/**
 * Checks what the server stored against what was sent (its size, and its digest of the data against the
 * one computed in the stream: `hashAlgo`/`hashValue`, or the MD5 `checksum` where the API verifies with
 * MD5), and the bytes against the digests the program expects.
 */
export function verifyUpload(image: ImageRecord, sent: StreamDigests | undefined, source: SourceInputs, capabilities: Pick<DialectCapabilities, "label" | "verifiedBy">): void {
  if (sent !== undefined) {
    if (image.sizeBytes !== null && image.sizeBytes !== sent.bytes) {
      throw new ChecksumMismatchError(image.id, "size", String(sent.bytes), String(image.sizeBytes), `Glance stored a different number of bytes than were sent for image ${image.id}`);
    }
    if (capabilities.verifiedBy === "md5") verifyMd5(image, sent, capabilities.label);
    else verifyHash(image, sent);
  }
  for (const algo of ["sha256", "sha512"] as const) {
    const expected = source[algo]?.toLowerCase();
    if (expected === undefined) continue;
    // A published checksum is of the bytes as fetched: the compressed ones when source.decompress undid a format.
    const actual = sent === undefined ? (image.hashAlgo === algo ? image.hashValue : null) : sent.fetched !== undefined ? sent.fetched[algo] : sent[algo];
    if (actual === null || actual === undefined) {
      throw new ChecksumMismatchError(image.id, algo, expected, "unknown", `source.${algo} cannot be verified: Glance hashes with ${image.hashAlgo ?? "nothing"}; use importMethod "upload"`);
    }
    if (actual !== expected) {
      const what = sent?.fetched === undefined ? "the data" : `the ${sent.fetched.format} data as fetched (before decompression)`;
      throw new ChecksumMismatchError(image.id, algo, expected, actual, `source.${algo} does not match ${what}: fix the digest or the source`);
    }
  }
}

/** The server's multihash (`hashAlgo`/`hashValue`) against the stream's digest of that algorithm. */
function verifyHash(image: ImageRecord, sent: StreamDigests): void {
  const algo = image.hashAlgo;
  const ours = algo === "sha512" || algo === "sha256" ? sent[algo] : undefined;
  if (ours === undefined) {
    // A deployment hashing with another algorithm: the size was checked above; say what was not.
    const computed = sent.sha256 === undefined ? "sha512" : "sha512 and sha256";
    console.log(`image ${image.id}: Glance hashes with ${algo ?? "nothing"}, so its hash value was not compared (${computed} computed in the stream)`);
  } else if (image.hashValue !== null && image.hashValue !== ours) {
    throw new ChecksumMismatchError(image.id, algo ?? "", ours, image.hashValue, `Glance's hash value (${algo ?? ""}) differs from the bytes sent for image ${image.id}`);
  }
}

/** The server's MD5 `checksum` against the stream's MD5 (an API with no other digest). */
function verifyMd5(image: ImageRecord, sent: StreamDigests, label: string): void {
  if (sent.md5 === undefined || image.checksum === null) {
    console.log(`image ${image.id}: ${label} ${image.checksum === null ? "recorded no checksum" : "checksum not compared (no md5 computed in the stream)"}, so only the size was verified`);
  } else if (image.checksum !== sent.md5) {
    throw new ChecksumMismatchError(image.id, "md5", sent.md5, image.checksum, `${label}'s checksum differs from the bytes sent for image ${image.id}`);
  }
}
