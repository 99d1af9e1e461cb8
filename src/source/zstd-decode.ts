import { Readable, pipeline } from "node:stream";
import { createZstdDecompress } from "node:zlib";
import { GlanceError } from "../errors";
import { ZstdFrameSplitter, type FramePiece } from "./zstd-frames";

/**
 * Undoes zstd on `input` as it comes, frame after frame (pzstd, `zstd --rsyncable`-style tools and `cat a.zst
 * b.zst` write several; skippable frames are dropped): {@link ZstdFrameSplitter} finds where each frame
 * ends and each gets Node's decoder of its own, which stops after one. A frame cut short fails here, and a
 * frame that decodes to less than the size its header declares fails too (Node 22's decoder can end
 * quietly on a damaged frame where Node 24's fails).
 */
export async function* unzstd(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const source = input[Symbol.asyncIterator]();
  const splitter = new ZstdFrameSplitter();
  const queue: FramePiece[] = [];
  async function nextPiece(): Promise<FramePiece | undefined> {
    while (queue.length === 0) {
      const next = await source.next();
      if (next.done === true) {
        splitter.finish();
        return undefined;
      }
      queue.push(...splitter.push(next.value));
    }
    return queue.shift();
  }

  for (let frame = 1; ; frame++) {
    const first = await nextPiece();
    if (first === undefined) return;
    let declared: bigint | undefined;
    // One frame's bytes; its end piece ends them.
    async function* frameBytes(piece: FramePiece): AsyncGenerator<Uint8Array, void, undefined> {
      for (let p: FramePiece | undefined = piece; p !== undefined; p = await nextPiece()) {
        if ("end" in p) {
          declared = p.declared;
          return;
        }
        yield p.bytes;
      }
    }
    // pipeline destroys both ends on either's failure; the output's iteration throws that failure.
    const output = pipeline(Readable.from(frameBytes(first), { objectMode: false }), createZstdDecompress(), () => undefined);
    let produced = 0;
    for await (const chunk of output as AsyncIterable<Uint8Array>) {
      produced += chunk.byteLength;
      yield chunk;
    }
    if (declared !== undefined && BigInt(produced) !== declared) {
      throw new GlanceError(`zstd data error: frame ${frame} declares ${declared} bytes but decodes to ${produced}`);
    }
  }
}
