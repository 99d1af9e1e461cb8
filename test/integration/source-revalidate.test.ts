import { randomBytes } from "node:crypto";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { ImageInputs, ImageOutputs } from "../../src/provider/inputs";
import { startFlakySource, type FlakyOptions, type FlakySource } from "../helpers/flaky-source";
import { RUN, checked, glance, provider, sweep } from "../helpers/provider";

const SIZE = 1024 * 1024 + 3;
const v0 = randomBytes(SIZE);
const v1 = randomBytes(SIZE + 10);
const prefix = `${RUN}-reval`;
const p = provider();
const client = glance();
const sources: FlakySource[] = [];

afterEach(() => vi.restoreAllMocks());
afterAll(async () => {
  await sweep(prefix);
  client.close();
  for (const source of sources) await source.close();
});

async function made(label: string, options: Partial<FlakyOptions> = {}, extra: Record<string, unknown> = {}): Promise<{ source: FlakySource; id: string; outs: ImageOutputs; inputs: (revalidate?: boolean) => Promise<ImageInputs> }> {
  const source = await startFlakySource({ versions: [v0, v1], cuts: [], ...options });
  sources.push(source);
  const inputs = (revalidate?: boolean): Promise<ImageInputs> =>
    checked(p, { name: `${prefix}-${label}`, diskFormat: "raw", importMethod: "upload", ...extra, source: { url: source.url, ...(revalidate === undefined ? {} : { revalidate }) } });
  const created = await p.create(await inputs());
  return { source, id: created.id, outs: created.outs as ImageOutputs, inputs };
}

/** The diff, what it logged, and the requests the source saw during it. */
async function diffed(m: Awaited<ReturnType<typeof made>>, revalidate?: boolean): Promise<{ replaces: string[]; changes: boolean; logged: string; requests: string[] }> {
  const news = await m.inputs(revalidate);
  const before = m.source.requests.length;
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const result = await p.diff(m.id, m.outs, news);
  const logged = log.mock.calls.map((c) => c.join(" ")).join("\n");
  log.mockRestore();
  return { replaces: result.replaces ?? [], changes: result.changes ?? false, logged, requests: m.source.requests.slice(before).map((r) => `${r.method} ${r.status} v${r.version}`) };
}

describe("source.revalidate: a URL whose content changes upstream", () => {
  it("records ETag, Last-Modified (when sent) and Content-Length in the fingerprint at upload", async () => {
    const m = await made("record");
    expect(m.outs.sourceFingerprint).toMatchObject({ kind: "url", etag: '"v0"', contentLength: SIZE, size: SIZE });
    const lm = await made("record-lm", { validator: "last-modified" });
    expect(lm.outs.sourceFingerprint).toMatchObject({ lastModified: "Mon, 01 Jan 2024 00:00:00 GMT", contentLength: SIZE });
    expect(lm.outs.sourceFingerprint).not.toHaveProperty("etag");
  });

  it("by default the preview sends nothing to the source, even when its content changed", async () => {
    const m = await made("default");
    m.source.use(1);
    for (const revalidate of [undefined, false]) {
      const d = await diffed(m, revalidate);
      expect(d.requests).toEqual([]);
      expect(d.replaces).toEqual([]);
    }
  });

  it("with revalidate: one HEAD; unchanged plans nothing, changed plans a replacement and says why", async () => {
    const m = await made("etag");
    const same = await diffed(m, true);
    expect(same.requests).toEqual(["HEAD 200 v0"]);
    expect(same).toMatchObject({ replaces: [], changes: false });
    m.source.use(1);
    const changed = await diffed(m, true);
    expect(changed.requests).toEqual(["HEAD 200 v1"]);
    expect(changed.replaces).toEqual(["source"]);
    expect(changed.logged).toContain(`will be replaced: the content at ${m.source.url} changed upstream (ETag "v0" → "v1")`);
  });

  it("compares Last-Modified when the server sends no ETag", async () => {
    const m = await made("lm", { validator: "last-modified" });
    expect((await diffed(m, true)).replaces).toEqual([]);
    m.source.use(1);
    const changed = await diffed(m, true);
    expect(changed.replaces).toEqual(["source"]);
    expect(changed.logged).toContain("changed upstream (Last-Modified Mon, 01 Jan 2024 00:00:00 GMT → Tue, 02 Jan 2024 00:00:00 GMT)");
  });

  it("a server that refuses HEAD is asked with one conditional GET: 304 is unchanged, a 200 replaces (its body not read)", async () => {
    const m = await made("nohead", { refuseHead: true });
    const same = await diffed(m, true);
    expect(same.requests).toEqual(["HEAD 405 v0", "GET 304 v0"]);
    expect(same.replaces).toEqual([]);
    m.source.use(1);
    const changed = await diffed(m, true);
    expect(changed.requests).toEqual(["HEAD 405 v1", "GET 200 v1"]);
    expect(changed.replaces).toEqual(["source"]);
  });

  it("a source that cannot be reached fails the preview naming source.revalidate and the way out", async () => {
    const m = await made("gone");
    await m.source.close();
    await expect(p.diff(m.id, m.outs, await m.inputs(true))).rejects.toThrow(/^source\.revalidate: cannot ask http:\/\/127\.0\.0\.1:\d+\/image\.raw whether its content changed: .*or set source\.revalidate to false$/);
  });

  it("web-download with revalidate records the validators with one HEAD at create, and compares them later", async () => {
    const source = await startFlakySource({ versions: [v0, v1], cuts: [] });
    sources.push(source);
    const inputs = (): Promise<ImageInputs> => checked(p, { name: `${prefix}-wd`, diskFormat: "raw", importMethod: "web-download", source: { url: source.url, revalidate: true } });
    const created = await p.create(await inputs());
    expect(await client.images.get(created.id)).toMatchObject({ status: "active", size: SIZE });
    expect(source.requests.map((r) => r.method)).toEqual(["HEAD", "GET"]);
    expect((created.outs as ImageOutputs).sourceFingerprint).toMatchObject({ etag: '"v0"', contentLength: SIZE });
    source.use(1);
    expect((await p.diff(created.id, created.outs as ImageOutputs, await inputs())).replaces).toEqual(["source"]);
  });
});
