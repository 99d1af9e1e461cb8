import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ImageSourceError } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import { RUN, checked, glance, imagesNamed, provider, scratch, sweep } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";

const files = scratch();
const SIZE = 2 * 1024 * 1024 + 5;
const data = files.file("src.qcow2", SIZE);
let server: SourceServer;
const prefix = `${RUN}-src`;

beforeAll(async () => {
  server = await startSourceServer(data.path);
});
afterAll(async () => {
  await sweep(prefix);
  await server.close();
  files.cleanup();
});

describe("URL sources", () => {
  const p = provider();
  const client = glance();
  afterAll(() => client.close());

  it.each([
    ["with Content-Length", "/file"],
    ["without Content-Length (chunked)", "/chunked"],
    ["after a redirect", "/redirect"],
  ])("streams a URL %s through the provider and verifies it", async (_label, path) => {
    const made = await p.create(await checked(p, { name: `${prefix}${path}`, diskFormat: "raw", source: { url: `${server.url}${path}`, sha512: data.sha512 } }));
    expect(await client.images.get(made.id)).toMatchObject({ status: "active", size: 2 * 1024 * 1024 + 5, os_hash_value: data.sha512 });
    const print = (made.outs as ImageOutputs).sourceFingerprint;
    expect(print).toMatchObject({ kind: "url", sha512: data.sha512 });
    expect(print).not.toHaveProperty("sha256"); // a URL's sha256 is computed only when expected
  });

  it("#11.2 a signed URL's query never reaches the outputs; an image created before URL identities is rewritten by one update", async () => {
    const signature = "sig-91c2e0d7aa5b";
    const url = `${server.url}/file?version=3&X-Amz-Signature=${signature}`;
    const made = await p.create(await checked(p, { name: `${prefix}-signed`, diskFormat: "raw", importMethod: "upload", source: { url } }));
    const outs = made.outs as ImageOutputs;
    expect(JSON.stringify(outs)).not.toContain(signature);
    expect(outs.source?.url).toBe(`${server.url}/file?version=***&X-Amz-Signature=***`);
    expect(outs.sourceFingerprint).toMatchObject({ kind: "url", location: `${server.url}/file?version=***&X-Amz-Signature=***`, urlIdentity: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Re-signed: the same source, nothing to do.
    const resigned = (await checked(p, { name: `${prefix}-signed`, diskFormat: "raw", importMethod: "upload", source: { url: url.replace(signature, "sig-other") } }));
    expect(await p.diff(made.id, outs, resigned)).toMatchObject({ changes: false, replaces: [] });
    // State written before identities held the raw URL: the diff asks for an update, which stores it masked.
    const { urlIdentity: _identity, ...oldPrint } = outs.sourceFingerprint!;
    const legacy = { ...outs, source: { url }, sourceFingerprint: { ...oldPrint, location: url } } as ImageOutputs;
    const news = (await checked(p, { name: `${prefix}-signed`, diskFormat: "raw", importMethod: "upload", source: { url } }));
    expect(await p.diff(made.id, legacy, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await p.update(made.id, legacy, news);
    expect(JSON.stringify(updated.outs)).not.toContain(signature);
    expect((updated.outs as ImageOutputs).sourceFingerprint?.urlIdentity).toBe(outs.sourceFingerprint?.urlIdentity);
  });

  it("computes a URL's sha256 in the stream when source.sha256 expects one, and records it", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-sha256`, diskFormat: "raw", source: { url: `${server.url}/file`, sha256: data.sha256 } }));
    expect((made.outs as ImageOutputs).sourceFingerprint).toMatchObject({ kind: "url", sha256: data.sha256, sha512: data.sha512 });
  });

  it("sends basic-auth credentials and headers, and keeps them out of the outputs", async () => {
    const basic = await p.create(await checked(p, { name: `${prefix}-basic`, diskFormat: "raw", source: { url: `${server.url}/auth`, username: "user", password: "s3cret-pw" } }));
    const header = await p.create(await checked(p, { name: `${prefix}-header`, diskFormat: "raw", source: { url: `${server.url}/auth`, headers: { "X-Token": "t0ken-value" } } }));
    for (const made of [basic, header]) {
      expect((await client.images.get(made.id)).status).toBe("active");
      const text = JSON.stringify(made.outs);
      expect(text).not.toContain("s3cret-pw");
      expect(text).not.toContain("t0ken-value");
    }
  });

  it("web-download lets Glance fetch the URL, and sha512 is checked against Glance's hash", async () => {
    const before = server.hits.get("/file") ?? 0;
    const made = await p.create(await checked(p, { name: `${prefix}-wd`, diskFormat: "raw", importMethod: "web-download", source: { url: `${server.url}/file`, sha512: data.sha512 } }));
    expect(await client.images.get(made.id)).toMatchObject({ status: "active", os_hash_value: data.sha512 });
    expect(server.hits.get("/file")).toBe(before + 1);
  });

  it("auto picks web-download when Glance offers it", async () => {
    const made = await p.create(await checked(p, { name: `${prefix}-auto`, diskFormat: "raw", importMethod: "auto", source: { url: `${server.url}/file` } }));
    const image = await client.images.get(made.id);
    expect(image.status).toBe("active");
    expect(image["os_glance_importing_to_stores"]).toBeDefined();
  });
});

describe("create failures leave no image behind", () => {
  const p = provider();

  it.each([
    ["a 404 URL", { url: "/missing" }, /answered HTTP 404/],
    ["a 500 URL", { url: "/broken" }, /answered HTTP 500/],
    ["a redirect loop", { url: "/loop" }, /redirects too often/],
    ["an empty URL body", { url: "/empty" }, /is empty/],
    ["wrong credentials", { url: "/auth", username: "user", password: "wrong-pass" }, /HTTP 401: check source.username/],
    ["a refused connection", { url: "http://127.0.0.1:1/x" }, /cannot fetch/],
    ["a wrong sha256", { url: "/file", sha256: "0".repeat(64) }, /source.sha256 does not match/],
    ["a wrong sha512 with web-download", { url: "/file", sha512: "0".repeat(128), method: "web-download" }, /source.sha512 does not match/],
    ["a 404 URL with web-download", { url: "/missing", method: "web-download" }, /web-download of source\.url \S+\/missing failed in Glance/],
  ])("%s", async (label, spec, message) => {
    const name = `${prefix}-fail-${label.replace(/\W+/g, "-")}`;
    const url = spec.url.startsWith("/") ? `${server.url}${spec.url}` : spec.url;
    const { url: _u, method, ...rest } = spec as { url: string; method?: string };
    const inputs = await checked(p, { name, diskFormat: "raw", importMethod: method ?? "upload", source: { url, ...rest } });
    await expect(p.create(inputs)).rejects.toThrow(message);
    expect(await imagesNamed(name)).toEqual([]);
  });

  it("a download that breaks midway is fetched again (3 attempts), then fails naming source.url and the bytes read", async () => {
    const name = `${prefix}-fail-cut`;
    const before = server.hits.get("/cut") ?? 0;
    const inputs = await checked(p, { name, diskFormat: "raw", source: { url: `${server.url}/cut` } });
    const error = await p.create(inputs).then(() => undefined, (e: unknown) => e as ImageSourceError);
    expect(error).toBeInstanceOf(ImageSourceError);
    expect(error).toMatchObject({ field: "source.url", transient: true });
    const half = Math.floor(SIZE / 2);
    expect(error?.message).toMatch(new RegExp(`^source\\.url: the download of ${server.url}/cut broke after ${half} of ${SIZE} bytes \\(.+\\): check the server`));
    expect((server.hits.get("/cut") ?? 0) - before).toBe(3);
    expect(await imagesNamed(name)).toEqual([]);
  });

  it("a password never appears in the error of a failed create", async () => {
    const name = `${prefix}-fail-secret`;
    const inputs = await checked(p, { name, diskFormat: "raw", source: { url: `${server.url}/auth`, username: "user", password: "hunter2-very-secret" } });
    const error = await p.create(inputs).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/401/);
    expect(`${error?.message} ${error?.stack ?? ""}`).not.toContain("hunter2-very-secret");
    expect(await imagesNamed(name)).toEqual([]);
  });
});
