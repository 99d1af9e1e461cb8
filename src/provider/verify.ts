import { ChecksumMismatchError } from "../errors";
import type { GlanceImage } from "../glance/types";
import type { StreamDigests } from "../source/digester";
import type { SourceInputs } from "./inputs";

/**
 * Checks what Glance stored against what was sent (its size and `os_hash_value` against the digests
 * computed in the stream), and the bytes against the digests the program expects.
 */
export function verifyUpload(image: GlanceImage, sent: StreamDigests | undefined, source: SourceInputs): void {
  if (sent !== undefined) {
    if (image.size !== null && image.size !== sent.bytes) {
      throw new ChecksumMismatchError(image.id, "size", String(sent.bytes), String(image.size), `Glance stored a different number of bytes than were sent for image ${image.id}`);
    }
    const algo = image.os_hash_algo;
    const ours = algo === "sha512" || algo === "sha256" ? sent[algo] : undefined;
    if (ours === undefined) {
      // A deployment hashing with another algorithm: the size was checked above; say what was not.
      const computed = sent.sha256 === undefined ? "sha512" : "sha512 and sha256";
      console.log(`image ${image.id}: Glance hashes with ${algo ?? "nothing"}, so its os_hash_value was not compared (${computed} computed in the stream)`);
    } else if (image.os_hash_value !== null && image.os_hash_value !== ours) {
      throw new ChecksumMismatchError(image.id, algo ?? "", ours, image.os_hash_value, `Glance's os_hash_value differs from the bytes sent for image ${image.id}`);
    }
  }
  for (const algo of ["sha256", "sha512"] as const) {
    const expected = source[algo]?.toLowerCase();
    if (expected === undefined) continue;
    const actual = sent?.[algo] ?? (image.os_hash_algo === algo ? image.os_hash_value : null);
    if (actual === null || actual === undefined) {
      throw new ChecksumMismatchError(image.id, algo, expected, "unknown", `source.${algo} cannot be verified: Glance hashes with ${image.os_hash_algo ?? "nothing"}; use importMethod "upload"`);
    }
    if (actual !== expected) {
      throw new ChecksumMismatchError(image.id, algo, expected, actual, `source.${algo} does not match the data: fix the digest or the source`);
    }
  }
}
