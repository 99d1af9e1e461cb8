/**
 * README Limitations made a promise: a URL create whose download breaks restarts cleanly from byte 0 (same Glance
 * image, no splice) when a resume is refused — by a 412 to If-Range (the data changed upstream), by a weak ETag
 * (If-Range needs a strong one: no Range request is sent at all) — and once the 5 resumes (MAX_RESUMES) are used
 * up. Each ends with Glance holding exactly one version's bytes. (The resuming reader alone is
 * test/integration/source-resume.test.ts.)
 */
import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { ImageOutputs } from "../../src/provider/inputs";
import { MAX_RESUMES } from "../../src/source/url-resume";
import { startFlakySource, type FlakyOptions, type FlakySource } from "../helpers/flaky-source";
import { RUN, checked, glance, imagesNamed, provider, sweep } from "../helpers/provider";

const SIZE = 2 * 1024 * 1024 + 11;
const v0 = randomBytes(SIZE);
const v1 = randomBytes(SIZE);
const sha512 = (data: Buffer): string => createHash("sha512").update(data).digest("hex");
const prefix = `${RUN}-resume-refused`;
const client = glance();

afterAll(async () => {
  await sweep(prefix);
  await client.close();
});

/** Creates an image from a flaky source; returns the source's requests, the outputs and the provider's lines. */
async function createFrom(name: string, options: FlakyOptions): Promise<{ requests: string[]; outs: ImageOutputs; id: string; lines: string[] }> {
  const p = provider();
  const source: FlakySource = await startFlakySource(options);
  const said = vi.spyOn(console, "log");
  try {
    const made = await p.create(await checked(p, { name: `${prefix}-${name}`, diskFormat: "raw", importMethod: "upload", source: { url: source.url } }));
    return {
      requests: source.requests.map((r) => `${r.status} ${r.range === undefined ? "-" : "range"} v${r.version}`),
      outs: made.outs as ImageOutputs,
      id: made.id,
      lines: said.mock.calls.map((c) => String(c[0])),
    };
  } finally {
    said.mockRestore();
    await source.close();
  }
}

describe("a URL create whose resume is refused restarts cleanly", () => {
  it("a 412 to If-Range (the data changed upstream): the upload starts over with the new version, one image", async () => {
    const { requests, outs, id } = await createFrom("412", { versions: [v0, v1], cuts: [700_000], changeAfterCut: 1, onMismatch: 412 });
    expect(requests).toEqual(["200 - v0", "412 range v1", "200 - v1"]);
    expect(await client.images.get(id)).toMatchObject({ status: "active", size: SIZE, os_hash_value: sha512(v1) });
    expect(outs.sourceFingerprint).toMatchObject({ kind: "url", sha512: sha512(v1), etag: '"v1"' });
    expect(await imagesNamed(`${prefix}-412`)).toEqual([id]);
  });

  it("a weak ETag: no Range request is sent; the upload starts over and succeeds", async () => {
    const { requests, id, lines } = await createFrom("weak", { versions: [v0], cuts: [700_000], validator: "weak-etag" });
    expect(requests).toEqual(["200 - v0", "200 - v0"]);
    expect(lines.some((l) => l.includes("resuming from there"))).toBe(false);
    expect(await client.images.get(id)).toMatchObject({ status: "active", size: SIZE, os_hash_value: sha512(v0) });
    expect(await imagesNamed(`${prefix}-weak`)).toEqual([id]);
  });

  it(`the resume cap: ${MAX_RESUMES} breaks are resumed, the next one starts the upload over`, async () => {
    expect(MAX_RESUMES).toBe(5);
    const cuts = Array.from({ length: MAX_RESUMES + 1 }, (_, i) => 200_000 * (i + 1));
    const { requests, id, lines } = await createFrom("cap", { versions: [v0], cuts });
    expect(requests).toEqual(["200 - v0", ...Array.from({ length: MAX_RESUMES }, () => "206 range v0"), "200 - v0"]);
    const resumed = lines.filter((l) => l.includes("resuming from there"));
    expect(resumed).toHaveLength(MAX_RESUMES);
    expect(resumed.at(-1)).toContain(`(${MAX_RESUMES} of at most ${MAX_RESUMES})`);
    expect(await client.images.get(id)).toMatchObject({ status: "active", size: SIZE, os_hash_value: sha512(v0) });
    expect(await imagesNamed(`${prefix}-cap`)).toEqual([id]);
  });
});
