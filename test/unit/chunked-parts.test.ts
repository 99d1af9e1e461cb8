/**
 * A body sent without a declared length goes out in parts of at most 256 KiB: Glance under uWSGI refuses a
 * chunked part over uWSGI's chunked-input-limit (1 MiB by default) with 500 "unable to receive chunked part"
 * (seen on the newest flavour with decompressed uploads, whose decoders hand over parts of 1 MiB and more).
 */
import { describe, expect, it } from "vitest";
import { CHUNKED_PART_BYTES, chunkedParts } from "../../src/provider/upload";

async function* from(sizes: number[]): AsyncGenerator<Uint8Array> {
  let n = 0;
  for (const size of sizes) {
    const chunk = new Uint8Array(size);
    for (let i = 0; i < size; i += 1) chunk[i] = (n + i) % 251;
    n += size;
    yield chunk;
  }
}

describe("chunkedParts", () => {
  it("cuts every chunk into views of at most 256 KiB, in order, losing and copying nothing", async () => {
    const sizes = [3 * 1024 * 1024 + 5, 10, CHUNKED_PART_BYTES, CHUNKED_PART_BYTES + 1, 0];
    const parts: Uint8Array[] = [];
    for await (const part of chunkedParts(from(sizes))) parts.push(part);
    expect(parts.every((p) => p.byteLength > 0 && p.byteLength <= CHUNKED_PART_BYTES)).toBe(true);
    expect(parts.map((p) => p.byteLength)).toEqual([...Array(12).fill(CHUNKED_PART_BYTES), 5, 10, CHUNKED_PART_BYTES, CHUNKED_PART_BYTES, 1]);
    const joined = Buffer.concat(parts);
    const expected = Buffer.concat(await (async () => { const all: Uint8Array[] = []; for await (const c of from(sizes)) all.push(c); return all; })());
    expect(joined.equals(expected)).toBe(true);
    // views of the chunk's memory, not copies
    const first = parts[0];
    const second = parts[1];
    expect(first?.buffer).toBe(second?.buffer);
  });
});
