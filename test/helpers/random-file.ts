/** Large random test files, written streamed (never whole in memory), with their digests. */
import { createHash, randomFillSync } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface RandomFile {
  readonly dir: string;
  readonly path: string;
  readonly size: number;
  readonly sha512: string;
  readonly md5: string;
  /** Deletes the file and its temp directory. */
  remove(): Promise<void>;
}

/** Writes `size` random bytes to a new temp dir, 1 MiB at a time, hashing on the way. */
export async function createRandomFile(size: number, name = "data.bin"): Promise<RandomFile> {
  const dir = await mkdtemp(join(tmpdir(), "pulumi-glance-itest-"));
  const path = join(dir, name);
  const sha512 = createHash("sha512");
  const md5 = createHash("md5");
  const chunk = 1024 * 1024;
  let left = size;
  const source = new Readable({
    read() {
      if (left === 0) {
        this.push(null);
        return;
      }
      const n = Math.min(chunk, left);
      const buf = randomFillSync(Buffer.allocUnsafe(n));
      sha512.update(buf);
      md5.update(buf);
      left -= n;
      this.push(buf);
    },
  });
  try {
    await pipeline(source, createWriteStream(path));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    path,
    size,
    sha512: sha512.digest("hex"),
    md5: md5.digest("hex"),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Reads a stream to its end, returning its sha512 and md5 and byte count without keeping the data. */
export async function digestStream(stream: NodeJS.ReadableStream): Promise<{ sha512: string; md5: string; bytes: number }> {
  const sha512 = createHash("sha512");
  const md5 = createHash("md5");
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sha512.update(chunk);
    md5.update(chunk);
    bytes += chunk.length;
  }
  return { sha512: sha512.digest("hex"), md5: md5.digest("hex"), bytes };
}

/** Collects a (small) stream into one buffer. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(chunk);
  return Buffer.concat(parts);
}

export function sha512Of(data: Buffer): string {
  return createHash("sha512").update(data).digest("hex");
}

export function md5Of(data: Buffer): string {
  return createHash("md5").update(data).digest("hex");
}
