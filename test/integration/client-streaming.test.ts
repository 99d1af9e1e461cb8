/**
 * Streaming proof: a 256 MiB image goes up from a file through the provider's reader and Digester, and
 * comes back down, streamed both ways; Glance's sha512 equals the one computed in the stream and the one
 * of the file itself. Asserted by mechanism, not by memory thresholds (RSS depends on the garbage
 * collector and on what else the machine runs): the upload reads the whole file into the reader's two
 * reused buffers, and the download applies backpressure, so a paused consumer stops Glance's sending
 * after a bounded number of bytes (counted by a proxy in front of Glance).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import { Digester, digesting } from "../../src/source/digester";
import { readFileChunks } from "../../src/source/file-chunks";
import { openSourceFile } from "../../src/source/file-source";
import { FILE_PATH, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { createImage, glanceUrl, newClient, runPrefix, sweepImages } from "../helpers/glance";
import { createRandomFile, type RandomFile } from "../helpers/random-file";
const MiB = 1024 * 1024;

const SIZE = 256 * MiB;
const prefix = runPrefix("stream");
let client: GlanceClient;
let file: RandomFile;
let imageId: string | undefined;
let proxy: FaultProxy;

beforeAll(async () => {
  client = newClient();
  file = await createRandomFile(SIZE, "256m.raw");
  proxy = await startFaultProxy(glanceUrl());
});

afterAll(async () => {
  await file?.remove();
  await proxy?.close();
  await sweepImages(client, prefix);
  const left: string[] = [];
  for await (const image of client.images.list({ visibility: "all" })) if (image.name?.startsWith(prefix) === true) left.push(image.id);
  expect(left).toEqual([]);
  await client.close();
});

/** Polls `read` until it returns the same value twice in a row `everyMs` apart (the flow has stopped). */
async function settled(read: () => number, everyMs = 500, timeoutMs = 60_000): Promise<number> {
  let last = read();
  for (let waited = 0; waited < timeoutMs; waited += everyMs) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    const now = read();
    if (now === last) return now;
    last = now;
  }
  throw new Error(`still moving after ${timeoutMs} ms: ${last}`);
}

describe("streaming", () => {
  it("uploads 256 MiB from the file reader through two reused buffers; Glance's sha512 matches the file's", async () => {
    const image = await createImage(client, prefix, "256m");
    imageId = image.id;

    const digester = new Digester();
    const buffers = new Set<ArrayBufferLike>();
    let chunks = 0;
    const { handle } = await openSourceFile(file.path);
    try {
      async function* watched(): AsyncGenerator<Buffer> {
        for await (const chunk of readFileChunks(handle)) {
          buffers.add(chunk.buffer);
          chunks += 1;
          yield chunk;
        }
      }
      await client.data.upload(image.id, digesting(watched(), digester), { size: SIZE });
    } finally {
      await handle.close();
    }

    const digests = digester.digests();
    expect(digests.bytes).toBe(SIZE);
    expect(digests.sha512).toBe(file.sha512);
    // 256 chunks of 1 MiB, all read into the same two buffers: the upload never holds more than 2 MiB of data.
    expect(chunks).toBe(SIZE / MiB);
    expect(buffers.size).toBe(2);

    const got = await client.images.get(image.id);
    expect(got).toMatchObject({ status: "active", size: SIZE, os_hash_algo: "sha512", os_hash_value: digests.sha512, checksum: file.md5 });
  });

  it("downloads it streamed: a paused reader stops Glance's sending early (backpressure); sha512 matches", async () => {
    expect(imageId).toBeDefined();
    const id = imageId!;
    const viaProxy = new GlanceClient({ endpoint: proxy.url });
    try {
      const download = await viaProxy.data.download(id);
      expect(download.status).toBe(200);
      expect(download.size).toBe(SIZE);
      const body = download.body!;
      // Take one chunk, then stop reading: only what fits in the socket buffers and the stream's
      // high-water marks may leave Glance until the reader goes on.
      const first = await new Promise<Buffer>((resolve) => body.once("data", (chunk: Buffer) => (body.pause(), resolve(chunk))));
      const record = proxy.requests("GET", FILE_PATH).at(-1)!;
      const sentWhilePaused = await settled(() => record.responseBytes);
      console.log(`download: ${(sentWhilePaused / MiB).toFixed(1)} MiB sent while the reader was paused`);
      expect(record.outcome).toBe("pending");
      expect(sentWhilePaused).toBeLessThan(SIZE / 4);

      const whole = new Digester();
      whole.update(first);
      for await (const chunk of body as AsyncIterable<Buffer>) whole.update(chunk);
      const digests = whole.digests();
      expect(digests.bytes).toBe(SIZE);
      expect(digests.sha512).toBe(file.sha512);
      expect(download.md5).toBe(file.md5);
      expect(record.responseBytes).toBe(SIZE);
    } finally {
      await viaProxy.close();
    }
    expect((await client.images.get(id)).status).toBe("active");
  });
});
