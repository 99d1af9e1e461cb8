/**
 * check refuses, per field and naming the API, every declared input the image API cannot hold (issue #13):
 * nothing is dropped silently. The capabilities below are those the issue gives Glance v1 (no tags, no
 * hidden images, no import methods, public/private only, MD5 verification); v2's are the registry's.
 */
import { describe, expect, it } from "vitest";
import type { DialectCapabilities } from "../../src/dialects/dialect";
import { capabilitiesOf } from "../../src/dialects/registry";
import { checkInputs } from "../../src/provider/check";
import { UNKNOWN } from "../../src/provider/unknown";

const lacking: DialectCapabilities = {
  label: "Glance v1",
  tags: false,
  hidden: false,
  visibilities: ["public", "private"],
  webDownload: false,
  verifiedBy: "md5",
  isReservedProperty: (key) => key === "owner" || key.startsWith("x-"),
};
const ok = { name: "img", diskFormat: "qcow2" };
const url = { url: "https://images.example.com/x.qcow2" };

describe("capability refusals", () => {
  it.each([
    ["tags", { tags: ["a"] }, "tags", "Glance v1 has no tags: remove tags or use glance:apiVersion v2"],
    ["hidden", { hidden: true }, "hidden", "Glance v1 has no hidden images: remove hidden or use glance:apiVersion v2"],
    ["shared visibility", { visibility: "shared" }, "visibility", "Glance v1 has no shared images: use public or private, or use glance:apiVersion v2"],
    ["community visibility", { visibility: "community" }, "visibility", "Glance v1 has no community images: use public or private, or use glance:apiVersion v2"],
    [
      "web-download",
      { importMethod: "web-download", source: url },
      "importMethod",
      'Glance v1 has no web-download (the server fetching the URL): use importMethod "upload" (or "auto") or use glance:apiVersion v2',
    ],
    ["retire", { deletePolicy: "retire" }, "deletePolicy", 'Glance v1 has no hidden images, which deletePolicy "retire" makes: use deletePolicy "delete" or use glance:apiVersion v2'],
    ["a reserved property key", { properties: { owner: "x" } }, 'properties["owner"]', '"owner" is reserved by Glance v1: remove it'],
  ])("%s", (_name, extra, property, reason) => {
    const { failures } = checkInputs({ ...ok, ...extra }, undefined, lacking);
    expect(failures).toEqual([{ property, reason }]);
  });

  it("neutral values every API holds are not refused: no tags, not hidden, private, upload/auto, delete", () => {
    for (const extra of [{}, { tags: [] }, { hidden: false }, { visibility: "public" }, { importMethod: "auto", source: url }, { deletePolicy: "delete" }]) {
      expect(checkInputs({ ...ok, ...extra }, undefined, lacking).failures).toEqual([]);
    }
  });

  it("unknown values (preview) are not refused", () => {
    expect(checkInputs({ ...ok, tags: UNKNOWN, hidden: UNKNOWN, visibility: UNKNOWN, importMethod: UNKNOWN }, undefined, lacking).failures).toEqual([]);
  });

  it("Glance v2 holds all of them", () => {
    const all = { ...ok, tags: ["a"], hidden: true, visibility: "community", importMethod: "web-download", source: url, deletePolicy: "retire" };
    expect(checkInputs(all, undefined, capabilitiesOf("v2") ?? null).failures).toEqual([]);
  });

  it("an API not known yet (auto at preview) skips the capability refusals", () => {
    expect(checkInputs({ ...ok, tags: ["a"], hidden: true }, undefined, null).failures).toEqual([]);
  });
});
