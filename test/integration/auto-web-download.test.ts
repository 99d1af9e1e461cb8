/**
 * README Limitations made a promise: `importMethod: "auto"` chooses web-download for a plain URL. check prints the
 * choice at preview; the create then lets Glance fetch the URL (the one GET the source sees is Glance's, not the
 * provider's, and the image's only task is a web-download import); a URL the provider must fetch itself
 * (credentials, an expected sha256) is uploaded instead, and the preview says so. Every v2 flavour offers
 * web-download.
 */
import { randomBytes, createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ImageOutputs } from "../../src/provider/inputs";
import { startFileServer, type FileServer } from "../helpers/file-server";
import { RUN, checked, glance, provider, sweep } from "../helpers/provider";

const prefix = `${RUN}-autowd`;
const data = randomBytes(48 * 1024 + 9);
const sha512 = createHash("sha512").update(data).digest("hex");
const sha256 = createHash("sha256").update(data).digest("hex");
const client = glance();
let server: FileServer;

beforeAll(async () => {
  server = await startFileServer();
  server.serve("/plain.raw", data);
  server.serve("/hashed.raw", data);
});
afterAll(async () => {
  await sweep(prefix);
  await client.close();
  await server.close();
});

const methodsOf = async (id: string): Promise<(string | undefined)[]> =>
  (await client.imports.tasks(id)).map((t) => (t.input as { import_req?: { method?: { name?: string } } }).import_req?.method?.name);

describe('importMethod "auto" with a URL', () => {
  const p = provider();

  it("check says at preview: web-download for a plain URL, upload when the provider must fetch it", async () => {
    const offered = await client.imports.methods();
    expect(offered).toContain("web-download");
    const said = vi.spyOn(console, "log");
    try {
      await checked(p, { name: `${prefix}-plain`, diskFormat: "raw", importMethod: "auto", source: { url: server.url("/plain.raw") } });
      await checked(p, { name: `${prefix}-sha256`, diskFormat: "raw", importMethod: "auto", source: { url: server.url("/hashed.raw"), sha256 } });
      const lines = said.mock.calls.map((c) => String(c[0]));
      expect(lines).toContain(`glance image "${prefix}-plain": importMethod "auto" will use web-download (the cloud offers ${offered.join(", ")})`);
      expect(lines).toContain(`glance image "${prefix}-sha256": importMethod "auto" will use upload (the cloud offers ${offered.join(", ")})`);
    } finally {
      said.mockRestore();
    }
  });

  it("a plain URL is fetched by Glance (web-download), once, and the image is the URL's data", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-plain`, diskFormat: "raw", importMethod: "auto", source: { url: server.url("/plain.raw") } }));
    const outs = made.outs as ImageOutputs;
    expect(outs).toMatchObject({ status: "active", importMethod: "auto", sizeBytes: data.length, hashValue: sha512 });
    expect(await methodsOf(made.id)).toEqual(["web-download"]);
    const gets = server.requests.filter((r) => r.path === "/plain.raw" && r.method === "GET");
    expect(gets).toHaveLength(1);
    // Glance's fetch (Python's urllib), not the provider's
    expect(gets[0]?.userAgent).toMatch(/^Python-urllib\//);
  });

  it("a URL with an expected sha256 is uploaded through the provider, which fetches it once", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-sha256`, diskFormat: "raw", importMethod: "auto", source: { url: server.url("/hashed.raw"), sha256 } }));
    expect(made.outs as ImageOutputs).toMatchObject({ status: "active", importMethod: "auto", hashValue: sha512 });
    expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ kind: "url", sha256, sha512 });
    expect(await methodsOf(made.id)).toEqual([]);
    const gets = server.requests.filter((r) => r.path === "/hashed.raw" && r.method === "GET");
    expect(gets).toHaveLength(1);
    expect(gets[0]?.userAgent).not.toMatch(/^Python-urllib\//);
  });
});
