/** Gathering a download's small socket reads into 1 MiB chunks in two reused buffers. */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COALESCED_BYTES, coalescedChunks } from "../../src/provider/coalesced-chunks";

async function* pieces(data: Buffer, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < data.length; i += 1) {
    const n = sizes[i % sizes.length] ?? 1;
    yield data.subarray(at, at + n);
    at += n;
  }
}

describe("coalescedChunks", () => {
  const data = randomBytes(3 * COALESCED_BYTES + 12_345);

  it.each([
    ["64 KiB socket reads", [64 * 1024]],
    ["odd sizes, some larger than a chunk", [1, 7000, 2 * COALESCED_BYTES + 3, 65_536]],
  ])("hands on full chunks of 1 MiB and a short last one, same bytes in order, for %s", async (_what, sizes) => {
    const seen: Buffer[] = [];
    const lengths: number[] = [];
    const buffers = new Set<ArrayBufferLike>();
    let read = 0;
    for await (const chunk of coalescedChunks(pieces(data, sizes), { read: (n) => (read = n) })) {
      seen.push(Buffer.from(chunk)); // copied now: the next chunk reuses the memory
      lengths.push(chunk.byteLength);
      buffers.add(chunk.buffer);
    }
    expect(Buffer.concat(seen).equals(data)).toBe(true);
    expect(lengths).toEqual([COALESCED_BYTES, COALESCED_BYTES, COALESCED_BYTES, 12_345]);
    expect(buffers.size).toBe(2); // two buffers for the whole stream: one out, the next gathered into the other
    expect(read).toBe(data.length);
  });

  it("passes a source failure on, after counting what was read", async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield data.subarray(0, 5000);
      throw new Error("socket hang up");
    }
    let read = 0;
    const out: number[] = [];
    await expect(
      (async () => {
        for await (const chunk of coalescedChunks(broken(), { read: (n) => (read = n) })) out.push(chunk.byteLength);
      })(),
    ).rejects.toThrow("socket hang up");
    expect(read).toBe(5000);
    expect(out).toEqual([]);
  });
});
