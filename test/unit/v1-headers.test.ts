import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeHeaderValue, encodeHeaderValue, imageFromHeaders, metaHeaders, propertyKeyProblem, textValueProblem } from "../../src/dialects/glance-v1/headers";
import { extractServerMessage } from "../../src/http/server-message";

/**
 * A HEAD answer recorded from a real Glance v1 (scripts/record-v1-fixtures.sh), as undici hands it over:
 * lower-cased names, each byte of a value one latin1 character.
 */
function recordedHeaders(name: string): Record<string, string> {
  const block = readFileSync(join(__dirname, "../fixtures/v1", name), "latin1");
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function fixture(name: string): string {
  return readFileSync(join(__dirname, "../fixtures/v1", name), "utf8");
}

describe("glance-v1 headers: reading HEAD answers of a real Glance v1", () => {
  it("reads a queued record: UTF-8 text, Python booleans, numbers, properties (the lowered, dashed key as Glance stored it)", () => {
    const image = imageFromHeaders(recordedHeaders("head-queued.http"));
    expect(image).toMatchObject({
      name: "fixture café ☃ 日本",
      status: "queued",
      size: 0,
      checksum: null,
      disk_format: "raw",
      container_format: "bare",
      is_public: false,
      protected: false,
      deleted: false,
      min_ram: 256,
      min_disk: 0,
      owner: "0123456789abcdef0123456789abcdef",
    });
    expect(image.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(image.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+$/);
    // sent as Foo-Bar; the null-valued held_null is not in a HEAD answer
    expect(image.properties).toEqual({ os_distro: "cirros", description: "Ünïcødé", foo_bar: "dashed" });
  });

  it("reads an active, public, protected image with its md5, and a killed and a deleted one", () => {
    const active = imageFromHeaders(recordedHeaders("head-active.http"));
    expect(active).toMatchObject({ status: "active", size: 65536, is_public: false });
    expect(active.checksum).toMatch(/^[0-9a-f]{32}$/);
    expect(imageFromHeaders(recordedHeaders("head-public-protected.http"))).toMatchObject({ is_public: true, protected: true });
    expect(imageFromHeaders(recordedHeaders("head-killed.http"))).toMatchObject({ status: "killed", name: "fixture killed" });
    expect(imageFromHeaders(recordedHeaders("head-deleted.http"))).toMatchObject({ status: "deleted", deleted: true });
  });

  it("a HEAD without image headers (the 404) is not taken for an image", () => {
    expect(() => imageFromHeaders(recordedHeaders("head-404.http"))).toThrow(/without X-Image-Meta-id/);
  });

  it("a property key named __proto__ is just a key", () => {
    const headers = { ...recordedHeaders("head-queued.http"), "x-image-meta-property-__proto__": "x" };
    const image = imageFromHeaders(headers);
    expect(Object.hasOwn(image.properties, "__proto__")).toBe(true);
    expect(image.properties["__proto__"]).toBe("x");
  });
});

describe("glance-v1 headers: writing", () => {
  it("sends text as its UTF-8 bytes (what the v1 server decodes; the recorded HEAD carries the same bytes back)", () => {
    const raw = recordedHeaders("head-queued.http")["x-image-meta-name"] ?? "";
    expect(encodeHeaderValue("fixture café ☃ 日本")).toBe(raw);
    expect(decodeHeaderValue(raw)).toBe("fixture café ☃ 日本");
    // no percent-encoding: Glance v1 would store %C3%A9 as it is
    expect(encodeHeaderValue("100% caf%C3%A9")).toBe("100% caf%C3%A9");
  });

  it("writes only known x-image-meta-* fields, booleans as Python writes them, null properties as empty values", () => {
    expect(metaHeaders({ id: "i", name: "é", is_public: true, protected: false, min_ram: 1, properties: { k: "v", n: null } })).toEqual({
      "x-image-meta-id": "i",
      "x-image-meta-name": encodeHeaderValue("é"),
      "x-image-meta-is_public": "True",
      "x-image-meta-protected": "False",
      "x-image-meta-min_ram": "1",
      "x-image-meta-property-k": "v",
      "x-image-meta-property-n": "",
    });
  });

  it("says which keys and values v1 cannot carry as they are", () => {
    expect(propertyKeyProblem("os_distro")).toBeUndefined();
    expect(propertyKeyProblem("a.b+c~d")).toBeUndefined();
    expect(propertyKeyProblem("Foo-Bar")).toMatch(/'foo_bar'/);
    expect(propertyKeyProblem("hw:cpu")).toMatch(/header names/);
    expect(propertyKeyProblem("")).toBeDefined();
    expect(textValueProblem("café ☃")).toBeUndefined();
    expect(textValueProblem("")).toMatch(/null/);
    expect(textValueProblem(" padded")).toMatch(/blanks/);
    expect(textValueProblem("a\nb")).toMatch(/control/);
    expect(textValueProblem("😀")).toMatch(/4-byte/);
  });
});

describe("glance-v1 error answers (JSON with Accept: application/json), as the transport reads them", () => {
  it.each([
    ["error-400-size-mismatch.json", /Supplied size \(5\) and size generated from uploaded image \(65536\) did not match\. Setting image status to 'killed'\.$/],
    ["error-400-bad-header.json", /Bad header: x-image-meta-purge-props$/],
    ["error-403-protected.json", /^Image is protected$/],
    ["error-409-duplicate-id.json", /^An image with identifier [0-9a-f-]{36} already exists$/],
  ])("%s", (name, message) => {
    expect(extractServerMessage(fixture(name), "application/json")).toMatch(message);
  });
});
