import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { ImageSourceError } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import { resumingBody } from "../../src/source/url-resume";
import { openSourceUrl } from "../../src/source/url-source";
import { startFlakySource, type FlakyOptions } from "../helpers/flaky-source";
import { RUN, checked, glance, imagesNamed, provider, sweep } from "../helpers/provider";

const SIZE = 3 * 1024 * 1024 + 7;
const v0 = randomBytes(SIZE);
const v1 = randomBytes(SIZE);
const sha512 = (data: Buffer): string => createHash("sha512").update(data).digest("hex");
const prefix = `${RUN}-resume`;

afterAll(() => sweep(prefix));

/** Reads the whole source through the resuming reader: what it yields, and the source's requests. */
async function download(options: FlakyOptions): Promise<{ data: Buffer; requests: ReturnType<typeof summary>; error?: unknown }> {
  const source = await startFlakySource(options);
  try {
    const opened = await openSourceUrl({ url: source.url });
    const parts: Buffer[] = [];
    try {
      for await (const chunk of resumingBody(opened, "test")) parts.push(Buffer.from(chunk));
      return { data: Buffer.concat(parts), requests: summary(source.requests) };
    } catch (error) {
      return { data: Buffer.concat(parts), requests: summary(source.requests), error };
    } finally {
      await opened.close();
    }
  } finally {
    await source.close();
  }
}

function summary(requests: readonly { range: string | undefined; status: number }[]): string[] {
  return requests.map((r) => `${r.status} ${r.range ?? "-"}`);
}

describe("the resuming reader against a source that breaks", () => {
  it.each([
    ["after the first byte", [1]],
    ["at 64 KiB", [64 * 1024]],
    ["in the middle", [Math.floor(SIZE / 2)]],
    ["one byte before the end", [SIZE - 1]],
    ["three times in one download", [100_000, 1_500_000, 3_000_000]],
  ])("with ETag and ranges, cut %s: continues from the byte it broke at, same bytes, one full GET", async (_label, cuts) => {
    const { data, requests, error } = await download({ versions: [v0], cuts });
    expect(error).toBeUndefined();
    expect(data.equals(v0)).toBe(true);
    expect(requests[0]).toBe("200 -");
    expect(requests.slice(1)).toHaveLength(cuts.length);
    for (const r of requests.slice(1)) expect(r).toMatch(/^206 bytes=\d+-$/);
  });

  it("resumes with Last-Modified as the validator", async () => {
    const { data, requests, error } = await download({ versions: [v0], cuts: [1_000_000], validator: "last-modified" });
    expect(error).toBeUndefined();
    expect(data.equals(v0)).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatch(/^206 /);
  });

  it.each([
    ["no Accept-Ranges", { ranges: false }],
    ["no validator", { validator: "none" as const }],
    ["only a weak ETag (If-Range needs a strong one)", { validator: "weak-etag" as const }],
  ])("does not resume with %s: the break is rethrown after the bytes received, no Range request", async (_label, extra) => {
    const { data, requests, error } = await download({ versions: [v0], cuts: [1_000_000], ...extra });
    expect(error).toBeDefined();
    expect(data.length).toBeLessThanOrEqual(1_000_000);
    expect(v0.subarray(0, data.length).equals(data)).toBe(true);
    expect(requests).toEqual(["200 -"]);
  });

  it("a server that answers 200 to a Range request is not spliced: the break is rethrown", async () => {
    const { data, requests, error } = await download({ versions: [v0], cuts: [1_000_000], ignoreRange: true });
    expect(error).toBeDefined();
    expect(v0.subarray(0, data.length).equals(data)).toBe(true);
    expect(requests).toEqual(["200 -", "200 bytes=" + requests[1]?.split("=")[1]]);
  });

  it.each([
    ["200 (If-Range no longer matches: the whole new version)", 200 as const],
    ["412", 412 as const],
  ])("a validator that changes mid-download is answered %s: nothing of the new version is spliced in", async (_label, onMismatch) => {
    const { data, requests, error } = await download({ versions: [v0, v1], cuts: [1_000_000], changeAfterCut: 1, onMismatch });
    expect(error).toBeDefined();
    expect(v0.subarray(0, data.length).equals(data)).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toMatch(new RegExp(`^${onMismatch} bytes=`));
  });
});

describe("a URL image whose download breaks", () => {
  const p = provider();
  const client = glance();
  afterAll(() => client.close());

  it.each([
    ["once in the middle", [Math.floor(SIZE / 2)]],
    ["three times", [100_000, 1_500_000, 3_000_000]],
  ])("breaking %s resumes into the same Glance upload: one full GET, the rest by range, Glance's hash is the source's", async (label, cuts) => {
    const source = await startFlakySource({ versions: [v0], cuts });
    try {
      const made = await p.create(await checked(p, { name: `${prefix}-${label.replace(/\W+/g, "-")}`, diskFormat: "raw", importMethod: "upload", source: { url: source.url, sha512: sha512(v0) } }));
      expect(await client.images.get(made.id)).toMatchObject({ status: "active", size: SIZE, os_hash_value: sha512(v0) });
      expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ kind: "url", size: SIZE, sha512: sha512(v0) });
      expect(source.requests.filter((r) => r.range === undefined)).toHaveLength(1);
      expect(source.requests.filter((r) => r.status === 206)).toHaveLength(cuts.length);
    } finally {
      await source.close();
    }
  });

  it("without range support the upload starts over (today's restart) and succeeds", async () => {
    const source = await startFlakySource({ versions: [v0], cuts: [1_000_000], ranges: false });
    try {
      const made = await p.create(await checked(p, { name: `${prefix}-norange`, diskFormat: "raw", importMethod: "upload", source: { url: source.url } }));
      expect(await client.images.get(made.id)).toMatchObject({ status: "active", os_hash_value: sha512(v0) });
      expect(source.requests.map((r) => `${r.status} ${r.range ?? "-"}`)).toEqual(["200 -", "200 -"]);
    } finally {
      await source.close();
    }
  });

  it("when the data changes mid-download the upload starts over with the new version, never a splice of both", async () => {
    const source = await startFlakySource({ versions: [v0, v1], cuts: [1_000_000], changeAfterCut: 1 });
    try {
      const made = await p.create(await checked(p, { name: `${prefix}-changed`, diskFormat: "raw", importMethod: "upload", source: { url: source.url } }));
      expect(await client.images.get(made.id)).toMatchObject({ status: "active", size: SIZE, os_hash_value: sha512(v1) });
      expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ sha512: sha512(v1) });
      // the full GET, the If-Range refused with the new version (200, discarded), the restart's full GET
      expect(source.requests.map((r) => `${r.status} ${r.range === undefined ? "-" : "range"} v${r.version}`)).toEqual(["200 - v0", "200 range v1", "200 - v1"]);
    } finally {
      await source.close();
    }
  });

  it("a source that keeps breaking fails with the source's error and leaves no image", async () => {
    const cuts = Array.from({ length: 40 }, (_, i) => 50_000 * (i + 1));
    const source = await startFlakySource({ versions: [v0], cuts, ranges: false });
    const name = `${prefix}-keeps-breaking`;
    try {
      const inputs = await checked(p, { name, diskFormat: "raw", importMethod: "upload", source: { url: source.url } });
      const error = await p.create(inputs).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ImageSourceError);
      expect((error as Error).message).toMatch(/^source\.url: the download of \S+ broke after \d+ of \d+ bytes/);
      expect(await imagesNamed(name)).toEqual([]);
    } finally {
      await source.close();
    }
  });
});
