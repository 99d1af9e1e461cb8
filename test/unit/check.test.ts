import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkInputs, type AllowedFormats } from "../../src/provider/check";
import * as imageProvider from "../../src/provider/provider";
import { UNKNOWN } from "../../src/provider/unknown";
import schema from "../fixtures/schema-image.json";

// The formats of the real Glance's /v2/schemas/image, as recorded.
const allowed: AllowedFormats = {
  diskFormats: (schema.properties.disk_format.enum as (string | null)[]).filter((v): v is string => v !== null),
  containerFormats: (schema.properties.container_format.enum as (string | null)[]).filter((v): v is string => v !== null),
};
const ok = { name: "img", diskFormat: "qcow2" };

describe("checkInputs defaults", () => {
  it("applies every default and keeps declared values", () => {
    const { inputs, failures } = checkInputs({ ...ok }, allowed);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({
      name: "img",
      diskFormat: "qcow2",
      containerFormat: "bare",
      visibility: "private",
      hidden: false,
      minDiskGb: 0,
      minRamMb: 0,
      importMethod: "upload",
      createTimeoutSeconds: 1800,
      deletePolicy: "delete",
    });
  });

  it("#11.1 leaves protected unset (not managed) unless declared", () => {
    expect(checkInputs({ ...ok }, allowed).inputs.protected).toBeUndefined();
    expect(checkInputs({ ...ok, protected: false }, allowed).inputs.protected).toBe(false);
  });

  it("lets unknown preview values through unchecked", () => {
    const { failures } = checkInputs({ name: UNKNOWN, diskFormat: UNKNOWN, tags: [UNKNOWN], properties: { a: UNKNOWN }, source: { file: UNKNOWN } }, allowed);
    expect(failures).toEqual([]);
  });
});

const cases: [string, Record<string, unknown>, string, RegExp][] = [
  ["missing diskFormat", { name: "x" }, "diskFormat", /required/],
  ["unknown disk format", { ...ok, diskFormat: "qcow3" }, "diskFormat", /not allowed here: use one of .*qcow2/],
  ["unknown container format", { ...ok, containerFormat: "zip" }, "containerFormat", /use one of .*bare/],
  ["bad visibility", { ...ok, visibility: "everyone" }, "visibility", /use one of public, private, shared, community/],
  ["negative minDiskGb", { ...ok, minDiskGb: -1 }, "minDiskGb", /whole number of GiB, 0 or more/],
  ["fractional minRamMb", { ...ok, minRamMb: 1.5 }, "minRamMb", /whole number of MiB/],
  ["string minRamMb", { ...ok, minRamMb: "512" }, "minRamMb", /whole number of MiB/],
  ["protected not boolean", { ...ok, protected: "yes" }, "protected", /true or false/],
  ["too long name", { ...ok, name: "n".repeat(256) }, "name", /at most 255/],
  ["129 tags", { ...ok, tags: Array.from({ length: 129 }, (_, i) => `t${i}`) }, "tags", /at most 128/],
  ["256-character tag", { ...ok, tags: ["t".repeat(256)] }, "tags[0]", /at most 255/],
  ["non-string tag", { ...ok, tags: [5] }, "tags[0]", /non-empty string/],
  ["non-string property value", { ...ok, properties: { a: 5 } }, 'properties["a"]', /write "5"/],
  ["reserved property", { ...ok, properties: { os_glance_import_task: "x" } }, 'properties["os_glance_import_task"]', /reserved by Glance/],
  ["read-only property", { ...ok, properties: { checksum: "x" } }, 'properties["checksum"]', /read-only/],
  ["base attribute as property", { ...ok, properties: { min_ram: "1" } }, 'properties["min_ram"]', /resource's own input/],
  ["typed property as property", { ...ok, properties: { os_distro: "x" } }, 'properties["os_distro"]', /set osDistro instead/],
  ["129 properties", { ...ok, properties: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`p${i}`, "v"])) }, "properties", /at most 128/],
  ["file and url", { ...ok, source: { file: "/a", url: "http://h/x" } }, "source", /either source.file or source.url/],
  ["empty source", { ...ok, source: {} }, "source", /set source.file, source.url or source.glanceImage/],
  ["ftp url", { ...ok, source: { url: "ftp://h/x" } }, "source.url", /use http:\/\/ or https:\/\//],
  ["relative url", { ...ok, source: { url: "images/x" } }, "source.url", /not a valid absolute URL/],
  ["credentials in url", { ...ok, source: { url: "https://u:p@h/x" } }, "source.url", /move them to source.username/],
  ["short sha256", { ...ok, source: { url: "https://h/x", sha256: "abc" } }, "source.sha256", /64 hexadecimal/],
  ["bad sha512", { ...ok, source: { url: "https://h/x", sha512: "z".repeat(128) } }, "source.sha512", /128 hexadecimal/],
  ["headers with a file", { ...ok, source: { file: "/a", headers: { a: "b" } } }, "source", /apply to source.url only/],
  ["web-download without url", { ...ok, importMethod: "web-download" }, "importMethod", /needs source.url/],
  ["web-download of a file", { ...ok, importMethod: "web-download", source: { file: "/a" } }, "importMethod", /applies to source.url/],
  ["web-download with credentials", { ...ok, importMethod: "web-download", source: { url: "https://h/x", password: "p" } }, "importMethod", /cannot send headers or credentials/],
  ["web-download with sha256", { ...ok, importMethod: "web-download", source: { url: "https://h/x", sha256: "a".repeat(64) } }, "source.sha256", /only source.sha512/],
  ["stores without a source", { ...ok, stores: ["local"] }, "stores", /there is no source/],
  ["allStores without a source", { ...ok, allStores: true }, "allStores", /there is no source/],
  ["stores not a list", { ...ok, source: { file: "/a" }, stores: "local" }, "stores", /must be a list of store ids/],
  ["allStoresMustSucceed not a boolean", { ...ok, source: { file: "/a" }, allStoresMustSucceed: "yes" }, "allStoresMustSucceed", /true or false/],
  ["bad import method", { ...ok, importMethod: "copy" }, "importMethod", /upload, web-download, glance-direct, glance-download, auto/],
  ["invalid imageId", { ...ok, imageId: "not-a-uuid" }, "imageId", /must be a UUID/],
  ["zero timeout", { ...ok, createTimeoutSeconds: 0 }, "createTimeoutSeconds", /positive number of seconds/],
  ["bad delete policy", { ...ok, deletePolicy: "keep" }, "deletePolicy", /delete, retire/],
  ["deactivated not a boolean", { ...ok, deactivated: "yes" }, "deactivated", /deactivated must be true or false \(or leave it out to leave activation alone\)/],
  ["deactivated without data", { ...ok, deactivated: true }, "deactivated", /only an active image can be deactivated, and an image without data stays queued: set source/],
  ["empty cloud", { ...ok, cloud: "" }, "cloud", /cloud must be a non-empty string/],
  ["cloud not a string", { ...ok, cloud: { auth: {} } }, "cloud", /cloud must be a non-empty string/],
  ["unknown input", { ...ok, diskformat: "raw" }, "diskformat", /unknown input/],
  ["unknown source field", { ...ok, source: { path: "/a" } }, "source.path", /unknown source field/],
];

describe("checkInputs failures name the field and the fix", () => {
  it.each(cases)("%s", (_name, news, property, reason) => {
    const { failures } = checkInputs(news, allowed);
    const failure = failures.find((f) => f.property === property);
    expect(failure, JSON.stringify(failures)).toBeDefined();
    expect(failure?.reason).toMatch(reason);
  });
});

describe("#11.7 unknown values at preview", () => {
  it("an unknown region opens no session and fails nothing (formats are checked again at apply)", async () => {
    // No OS_* settings here: before the fix the unknown marker was sent to Keystone/Glance as a region name.
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith("OS_")) delete process.env[key];
    try {
      const result = await imageProvider.check({} as never, { ...ok, region: UNKNOWN } as never);
      expect(result.failures).toEqual([]);
      expect(result.inputs).toMatchObject({ region: UNKNOWN, diskFormat: "qcow2" });
    } finally {
      process.env = saved;
    }
  });

  it("a cloud naming no clouds.yaml entry fails on the cloud field, naming the input", async () => {
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith("OS_")) delete process.env[key];
    process.env["OS_CLIENT_CONFIG_FILE"] = join(__dirname, "../fixtures/no-such-clouds.yaml");
    process.env["XDG_CONFIG_HOME"] = join(__dirname, "../fixtures/no-such-dir");
    try {
      const result = await imageProvider.check({} as never, { ...ok, cloud: "member" } as never);
      expect(result.failures).toEqual([{ property: "cloud", reason: expect.stringContaining('cloud "member" is selected (the resource\'s cloud input) but no clouds.yaml was found') }]);
    } finally {
      process.env = saved;
    }
  });

  it("an unknown cloud opens no session and fails nothing", async () => {
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith("OS_")) delete process.env[key];
    try {
      const result = await imageProvider.check({} as never, { ...ok, cloud: UNKNOWN } as never);
      expect(result.failures).toEqual([]);
      expect(result.inputs).toMatchObject({ cloud: UNKNOWN });
    } finally {
      process.env = saved;
    }
  });

  it("unknown source credentials and headers are let through", () => {
    const { failures } = checkInputs({ ...ok, source: { url: "https://example.com/x.img", headers: UNKNOWN, username: UNKNOWN, password: UNKNOWN } }, allowed);
    expect(failures).toEqual([]);
  });
});

describe("#11.8 property keys named like Object.prototype members", () => {
  it("arrive as [key, value] pairs and become the map users wrote", () => {
    const { inputs, failures } = checkInputs({ ...ok, properties: [["toString", "x"], ["constructor", "y"], ["valueOf", "z"]] }, allowed);
    expect(failures).toEqual([]);
    expect(Object.entries(inputs.properties ?? {})).toEqual([["toString", "x"], ["constructor", "y"], ["valueOf", "z"]]);
  });

  it("a map (older state, or ignoreChanges copying old inputs) is still accepted", () => {
    expect(checkInputs({ ...ok, properties: { hasOwnProperty: "x" } }, allowed).inputs.properties).toEqual({ hasOwnProperty: "x" });
  });

  it("__proto__ is refused with the reason: Pulumi's runtime would drop it", () => {
    const { failures } = checkInputs({ ...ok, properties: [["__proto__", "x"]] }, allowed);
    expect(failures).toEqual([{ property: 'properties["__proto__"]', reason: expect.stringContaining("Pulumi's JavaScript runtime cannot keep it in a map") }]);
  });
});
