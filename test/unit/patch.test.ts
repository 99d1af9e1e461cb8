import { describe, expect, it } from "vitest";
import { escapePointer, planImagePatch, type DesiredImage, type PatchOperation } from "../../src/dialects/glance-v2/patch";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import activeImage from "../fixtures/image-active.json";

const base = activeImage as unknown as GlanceImage;
const image = (extra: Record<string, unknown> = {}): GlanceImage => ({ ...base, ...extra }) as GlanceImage;

describe("escapePointer", () => {
  it.each([
    ["name", "/name"],
    ["a/b", "/a~1b"],
    ["a~b", "/a~0b"],
    ["~/", "/~0~1"],
    ["owner_specified.openstack.md5", "/owner_specified.openstack.md5"],
    ["with space", "/with space"],
  ])("%s → %s", (key, pointer) => {
    expect(escapePointer(key)).toBe(pointer);
  });
});

interface Case {
  readonly name: string;
  readonly current: GlanceImage;
  readonly desired: DesiredImage;
  readonly ops: PatchOperation[];
}

const cases: Case[] = [
  { name: "nothing declared", current: image(), desired: {}, ops: [] },
  { name: "unchanged name", current: image(), desired: { attributes: { name: base.name ?? "" } }, ops: [] },
  { name: "renamed", current: image(), desired: { attributes: { name: "new" } }, ops: [{ op: "replace", path: "/name", value: "new" }] },
  {
    name: "several attributes, sorted by key",
    current: image(),
    desired: { attributes: { visibility: "community", min_ram: 512, name: base.name ?? "", os_hidden: true } },
    ops: [
      { op: "replace", path: "/min_ram", value: 512 },
      { op: "replace", path: "/os_hidden", value: true },
      { op: "replace", path: "/visibility", value: "community" },
    ],
  },
  { name: "tags same set, other order and duplicates", current: image({ tags: ["b", "a"] }), desired: { tags: ["a", "b", "a"] }, ops: [] },
  {
    name: "tag added collapses to one top-level replace",
    current: image({ tags: ["a"] }),
    desired: { tags: ["b", "a"] },
    ops: [{ op: "replace", path: "/tags", value: ["a", "b"] }],
  },
  { name: "all tags removed", current: image({ tags: ["a", "b"] }), desired: { tags: [] }, ops: [{ op: "replace", path: "/tags", value: [] }] },
  { name: "new property", current: image(), desired: { properties: { os_distro: "ubuntu" } }, ops: [{ op: "add", path: "/os_distro", value: "ubuntu" }] },
  { name: "changed property uses add (set or overwrite)", current: image({ os_distro: "debian" }), desired: { properties: { os_distro: "ubuntu" } }, ops: [{ op: "add", path: "/os_distro", value: "ubuntu" }] },
  { name: "unchanged property", current: image({ os_distro: "ubuntu" }), desired: { properties: { os_distro: "ubuntu" } }, ops: [] },
  { name: "escaped key", current: image(), desired: { properties: { "a/b~c": "v" } }, ops: [{ op: "add", path: "/a~1b~0c", value: "v" }] },
  {
    name: "nested value in a property collapses to the key",
    current: image({ meta: "x" }),
    desired: { attributes: { locations: ["u1", "u2"] } },
    ops: [{ op: "replace", path: "/locations", value: ["u1", "u2"] }],
  },
  { name: "remove existing property", current: image({ old: "1" }), desired: { removeProperties: ["old"] }, ops: [{ op: "remove", path: "/old" }] },
  { name: "remove of a missing property is not sent", current: image(), desired: { removeProperties: ["gone"] }, ops: [] },
  { name: "remove of a key still desired is not sent", current: image({ k: "1" }), desired: { properties: { k: "2" }, removeProperties: ["k"] }, ops: [{ op: "add", path: "/k", value: "2" }] },
  {
    name: "read-only and reserved keys never touched",
    current: image({ os_glance_failed_import: "" }),
    desired: {
      attributes: { status: "active", checksum: "x", size: 1 },
      properties: { os_glance_import_task: "t", os_hash_value: "h", location: "l" },
      removeProperties: ["os_glance_failed_import", "stores", "self"],
    },
    ops: [],
  },
  {
    name: "attributes, tags, properties, removals in that order",
    current: image({ tags: ["x"], a: "1", z: "9" }),
    desired: { attributes: { name: "n2" }, tags: ["y"], properties: { b: "2" }, removeProperties: ["a", "z"] },
    ops: [
      { op: "replace", path: "/name", value: "n2" },
      { op: "replace", path: "/tags", value: ["y"] },
      { op: "add", path: "/b", value: "2" },
      { op: "remove", path: "/a" },
      { op: "remove", path: "/z" },
    ],
  },
  { name: "protect", current: image(), desired: { attributes: { protected: true } }, ops: [{ op: "replace", path: "/protected", value: true }] },
];

describe("planImagePatch", () => {
  it.each(cases)("$name", ({ current, desired, ops }) => {
    expect(planImagePatch(current, desired)).toEqual(ops);
  });
});

describe("#11.8 keys named like Object.prototype members are plain keys", () => {
  const protoImage = (): GlanceImage => JSON.parse(JSON.stringify(base)) as GlanceImage; // as Glance answers: own keys only

  it("adds constructor/toString/valueOf/hasOwnProperty that the image lacks (add, never replace of a missing key)", () => {
    const properties = { constructor: "a", toString: "b", valueOf: "c", hasOwnProperty: "d" };
    expect(planImagePatch(protoImage(), { properties })).toEqual([
      { op: "add", path: "/constructor", value: "a" },
      { op: "add", path: "/hasOwnProperty", value: "d" },
      { op: "add", path: "/toString", value: "b" },
      { op: "add", path: "/valueOf", value: "c" },
    ]);
  });

  it("removes a dropped constructor key the image has, and never removes one it lacks", () => {
    const current = JSON.parse(JSON.stringify({ ...base, constructor: "a" })) as GlanceImage;
    expect(planImagePatch(current, { properties: {}, removeProperties: ["constructor", "toString"] })).toEqual([{ op: "remove", path: "/constructor" }]);
  });

  it("keeps __proto__ as a key: set when different, nothing when equal", () => {
    const wanted = JSON.parse('{"__proto__":"x"}') as Record<string, string>;
    expect(planImagePatch(protoImage(), { properties: wanted })).toEqual([{ op: "add", path: "/__proto__", value: "x" }]);
    const current = JSON.parse(JSON.stringify(base).replace(/^\{/, '{"__proto__":"x",')) as GlanceImage;
    expect(planImagePatch(current, { properties: wanted })).toEqual([]);
  });
});
