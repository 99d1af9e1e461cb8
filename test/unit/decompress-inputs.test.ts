/** source.decompress in check (values, web-download) and in the source verdict (what a change replaces). */
import { describe, expect, it } from "vitest";
import { checkInputs } from "../../src/provider/check";
import type { SourceFingerprint } from "../../src/provider/inputs";
import { compareSource } from "../../src/provider/source-change";
import { urlFingerprint } from "../../src/source/url-identity";

const ok = { name: "img", diskFormat: "qcow2", containerFormat: "bare" };
const allowed = { diskFormats: ["qcow2", "raw"], containerFormats: ["bare"] };
const url = "https://images.example.com/noble.qcow2.xz";
const sha512 = "ab".repeat(64);
const plain: SourceFingerprint = { ...urlFingerprint(url), size: 100, sha512 };
const undoneXz: SourceFingerprint = { ...plain, decompressed: { format: "xz", bytes: 400, sha512: "cd".repeat(64) } };

describe("check: source.decompress", () => {
  it.each(["gzip", "bzip2", "xz", "zstd", "auto", "none"])("takes %s", (decompress) => {
    const { inputs, failures } = checkInputs({ ...ok, source: { url, decompress } }, allowed);
    expect(failures).toEqual([]);
    expect(inputs.source?.decompress).toBe(decompress);
  });
  it("refuses another value, naming the field and the values", () => {
    const { failures } = checkInputs({ ...ok, source: { url, decompress: "lz4" } }, allowed);
    expect(failures).toEqual([{ property: "source.decompress", reason: expect.stringContaining("gzip, bzip2, xz, zstd, auto, none") }]);
  });
  it("refuses a format with web-download (Glance fetches the URL and cannot decompress), not none", () => {
    const { failures } = checkInputs({ ...ok, importMethod: "web-download", source: { url, decompress: "xz" } }, allowed);
    expect(failures).toEqual([{ property: "source.decompress", reason: expect.stringContaining("importMethod \"upload\"") }]);
    expect(checkInputs({ ...ok, importMethod: "web-download", source: { url, decompress: "none" } }, allowed).failures).toEqual([]);
  });
});

describe("compareSource: source.decompress", () => {
  it("a new format replaces, with the reason", async () => {
    const verdict = await compareSource({ source: { url }, fingerprint: plain }, { url, decompress: "xz" });
    expect(verdict).toEqual({ replace: true, reason: "source.decompress changed from none to xz (the data was uploaded as fetched)" });
  });
  it("dropping the format that was undone replaces", async () => {
    expect((await compareSource({ source: { url, decompress: "xz" }, fingerprint: undoneXz }, { url })).replace).toBe(true);
  });
  it("auto after a format that was undone, or naming the format auto undid, uploads the same bytes: no replace", async () => {
    expect(await compareSource({ source: { url, decompress: "xz" }, fingerprint: undoneXz }, { url, decompress: "auto" })).toEqual({ replace: false });
    expect(await compareSource({ source: { url, decompress: "auto" }, fingerprint: undoneXz }, { url, decompress: "xz" })).toEqual({ replace: false });
  });
  it("auto where auto undid nothing, then none, is the same; none to auto is not known without reading, so it replaces", async () => {
    expect(await compareSource({ source: { url, decompress: "auto" }, fingerprint: plain }, { url, decompress: "none" })).toEqual({ replace: false });
    expect((await compareSource({ source: { url }, fingerprint: plain }, { url, decompress: "auto" })).replace).toBe(true);
  });
});
