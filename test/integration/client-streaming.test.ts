/**
 * Streaming proof: a 256 MiB image goes up from a file through the provider's reader (two reused
 * buffers) and Digester, and comes back down, without the test process's memory growing with it;
 * Glance's sha512 equals the one computed in the stream and the one of the file itself.
 */
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GlanceClient } from "../../src/glance/client";
import { Digester, digesting } from "../../src/source/digester";
import { readFileChunks } from "../../src/source/file-chunks";
import { openSourceFile } from "../../src/source/file-source";
import { createImage, newClient, runPrefix, sweepImages } from "../helpers/glance";
import { createRandomFile, digestStream, type RandomFile } from "../helpers/random-file";
import { MiB, measureRss } from "../helpers/rss";

const SIZE = 256 * MiB;
const RSS_LIMIT = 64 * MiB;
const prefix = runPrefix("stream");
let client: GlanceClient;
let file: RandomFile;
let imageId: string | undefined;

beforeAll(async () => {
  client = newClient();
  file = await createRandomFile(SIZE, "256m.raw");
});

afterAll(async () => {
  await file?.remove();
  await sweepImages(client, prefix);
  const left: string[] = [];
  for await (const image of client.images.list({ visibility: "all" })) if (image.name?.startsWith(prefix) === true) left.push(image.id);
  expect(left).toEqual([]);
  await client.close();
});

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

describe("streaming", () => {
  it("uploads 256 MiB from the file reader with RSS growth under 64 MiB; Glance's sha512 matches the file's", async () => {
    const image = await createImage(client, prefix, "256m");
    imageId = image.id;

    const digester = new Digester();
    const { rss } = await measureRss(async () => {
      const { handle } = await openSourceFile(file.path);
      try {
        await client.data.upload(image.id, digesting(readFileChunks(handle), digester), { size: SIZE });
      } finally {
        await handle.close();
      }
    });
    console.log(`upload RSS: before ${mib(rss.before)}, peak ${mib(rss.peak)}, growth ${mib(rss.growth)} (${rss.samples} samples)`);

    const digests = digester.digests();
    expect(digests.bytes).toBe(SIZE);
    expect(digests.sha512).toBe(file.sha512);
    expect(rss.samples).toBeGreaterThan(1);
    expect(rss.growth).toBeLessThan(RSS_LIMIT);

    const got = await client.images.get(image.id);
    expect(got).toMatchObject({ status: "active", size: SIZE, os_hash_algo: "sha512", os_hash_value: digests.sha512, checksum: file.md5 });
  });

  it("downloads it streamed; sha512 matches, RSS growth under 64 MiB", async () => {
    expect(imageId).toBeDefined();
    const id = imageId!;
    const { result, rss } = await measureRss(async () => {
      const download = await client.data.download(id);
      expect(download.status).toBe(200);
      expect(download.size).toBe(SIZE);
      return { md5: download.md5, digest: await digestStream(download.body!) };
    });
    console.log(`download RSS: before ${mib(rss.before)}, peak ${mib(rss.peak)}, growth ${mib(rss.growth)} (${rss.samples} samples)`);
    expect(result.digest.bytes).toBe(SIZE);
    expect(result.digest.sha512).toBe(file.sha512);
    expect(result.md5).toBe(file.md5);
    expect(rss.growth).toBeLessThan(RSS_LIMIT);
    expect((await client.images.get(id)).status).toBe("active");
  });

  it("control: the RSS probe does see a client that buffers the whole file", async () => {
    const { result, rss } = await measureRss(async () => (await readFile(file.path)).length);
    console.log(`buffered read RSS growth: ${mib(rss.growth)}`);
    expect(result).toBe(SIZE);
    expect(rss.growth).toBeGreaterThan(RSS_LIMIT);
  });
});
