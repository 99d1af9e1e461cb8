import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { ImageSourceError, describeCause } from "../errors";

/** The digests a file fingerprint may hold (`sha512` since the upload's own digest is reused; `sha256` in older state). */
export type FileDigestAlgorithm = "sha256" | "sha512";

/**
 * A digest of a file, streamed. Used only when a file's stat identity moved (see `source-change.ts`). A file
 * that cannot be read (its permissions changed since `check`, a broken disk) is an {@link ImageSourceError}
 * naming `field`.
 */
export async function digestFile(path: string, algorithm: FileDigestAlgorithm, field = "source.file"): Promise<string> {
  const hash = createHash(algorithm);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  } catch (cause) {
    throw new ImageSourceError(field, `reading ${path} to compare it with the uploaded data failed (${describeCause(cause)}): check the file and its permissions`, { cause });
  }
  return hash.digest("hex");
}
