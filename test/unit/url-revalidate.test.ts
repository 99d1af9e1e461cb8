import { describe, expect, it } from "vitest";
import { checkInputs, type AllowedFormats } from "../../src/provider/check";
import { revalidateSource } from "../../src/provider/source-revalidate";
import { UNKNOWN } from "../../src/provider/unknown";
import { hasValidators, validatorChange, validatorsOf } from "../../src/source/url-revalidate";
import schema from "../fixtures/schema-image.json";

const allowed: AllowedFormats = {
  diskFormats: (schema.properties.disk_format.enum as (string | null)[]).filter((v): v is string => v !== null),
  containerFormats: (schema.properties.container_format.enum as (string | null)[]).filter((v): v is string => v !== null),
};

describe("validatorChange: what tells that a URL's content changed", () => {
  it.each([
    ["the same ETag", { etag: '"a"', lastModified: "x" }, { etag: '"a"', lastModified: "y" }, undefined],
    ["another ETag", { etag: '"a"' }, { etag: '"b"' }, 'ETag "a" → "b"'],
    ["another weak ETag", { etag: 'W/"a"' }, { etag: 'W/"b"' }, 'ETag W/"a" → W/"b"'],
    ["an ETag decides alone (same ETag, other length)", { etag: '"a"', contentLength: 1 }, { etag: '"a"', contentLength: 2 }, undefined],
    ["another Last-Modified without ETags", { lastModified: "Mon, 01 Jan 2024 00:00:00 GMT" }, { lastModified: "Tue, 02 Jan 2024 00:00:00 GMT" }, "Last-Modified Mon, 01 Jan 2024 00:00:00 GMT → Tue, 02 Jan 2024 00:00:00 GMT"],
    ["another Content-Length only", { contentLength: 10 }, { contentLength: 11 }, "Content-Length 10 → 11"],
    ["an ETag only on one side tells nothing", { etag: '"a"' }, { lastModified: "y" }, undefined],
    ["nothing recorded", {}, { etag: '"b"' }, undefined],
  ])("%s", (_label, recorded, now, expected) => {
    expect(validatorChange(recorded, now)).toBe(expected);
  });

  it("reads validators from response headers and ignores a malformed length", () => {
    expect(validatorsOf({ etag: '"e"', "last-modified": "L", "content-length": "12" })).toEqual({ etag: '"e"', lastModified: "L", contentLength: 12 });
    expect(validatorsOf({ "content-length": "12x" })).toEqual({});
    expect(hasValidators({})).toBe(false);
    expect(hasValidators({ contentLength: 0 })).toBe(true);
  });
});

describe("revalidateSource sends nothing unless asked", () => {
  const print = { kind: "url" as const, location: "http://127.0.0.1:1/x", etag: '"a"' };
  // Port 1 refuses connections: any request would fail the call, so resolving proves none was sent.
  it.each([
    ["revalidate unset", { url: "http://127.0.0.1:1/x" }],
    ["revalidate false", { url: "http://127.0.0.1:1/x", revalidate: false }],
    ["an unknown URL", { url: UNKNOWN as unknown as string, revalidate: true }],
    ["a masked URL (state copied back)", { url: "http://127.0.0.1:1/x?sig=***", revalidate: true }],
  ])("%s: no request, the verdict unchanged", async (_label, source) => {
    await expect(revalidateSource({ replace: false }, print, source, "img")).resolves.toEqual({ replace: false });
  });

  it("a verdict that already replaces is kept without asking", async () => {
    await expect(revalidateSource({ replace: true, reason: "source.url changed" }, print, { url: "http://127.0.0.1:1/x", revalidate: true }, "img")).resolves.toEqual({ replace: true, reason: "source.url changed" });
  });

  it("with revalidate, an unreachable source fails the preview naming source.revalidate and the way out", async () => {
    await expect(revalidateSource({ replace: false }, print, { url: "http://127.0.0.1:1/x", revalidate: true }, "img")).rejects.toThrow(/^source\.revalidate: cannot ask http:\/\/127\.0\.0\.1:1\/x whether its content changed: .*set source\.revalidate to false/);
  });
});

describe("check refuses a bad source.revalidate per field", () => {
  it.each([
    ["not a boolean", { url: "https://h/x", revalidate: "yes" }, /source\.revalidate must be true or false/],
    ["with a file", { file: "/a", revalidate: true }, /applies to source\.url .*: remove it/],
  ])("%s", (_label, source, reason) => {
    const { failures } = checkInputs({ name: "img", diskFormat: "raw", source }, allowed);
    expect(failures.find((f) => f.property === "source.revalidate")?.reason).toMatch(reason);
  });

  it("accepts revalidate: true with a URL, and keeps it", () => {
    const { inputs, failures } = checkInputs({ name: "img", diskFormat: "raw", source: { url: "https://h/x", revalidate: true } }, allowed);
    expect(failures).toEqual([]);
    expect(inputs.source).toEqual({ url: "https://h/x", revalidate: true });
  });
});
