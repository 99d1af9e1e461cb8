/**
 * Lookup filters (issue #15): a lookup's arguments as a dialect filter (src/lookups/filter.ts), that filter
 * as Glance v2's list query (src/dialects/glance-v2/mapping.ts toListQuery), the one client-side reading
 * (src/dialects/filter-match.ts) on the image a real Glance (Zed) returned (test/fixtures/image-active.json),
 * and the most-recent choice. The server's evaluation of the same queries is proven in
 * test/integration/lookups.test.ts.
 */
import { describe, expect, it } from "vitest";
import { matchesFilter } from "../../src/dialects/filter-match";
import { V1_CAPABILITIES } from "../../src/dialects/glance-v1/dialect";
import { GLANCE_V2_CAPABILITIES } from "../../src/dialects/glance-v2/dialect";
import { toListQuery, toRecord } from "../../src/dialects/glance-v2/mapping";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { InputError } from "../../src/errors";
import { describeFilters, toLookupFilter } from "../../src/lookups/filter";
import { mostRecent } from "../../src/lookups/find";
import { toLookupResult } from "../../src/lookups/result";
import activeImage from "../fixtures/image-active.json";

const record = toRecord(activeImage as unknown as GlanceImage);

function refusal(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("expected an InputError");
}

describe("lookup arguments → filter → Glance v2 query", () => {
  it("every server-side filter travels under Glance v2's own key", () => {
    const { filter, nameRegex } = toLookupFilter(
      {
        names: ["a", "b"],
        ids: ["id-1"],
        tags: ["x", "y"],
        properties: { os_distro: "ubuntu" },
        visibility: "shared",
        memberStatus: "pending",
        owner: "p1",
        hidden: true,
        protected: false,
        status: ["active", "queued"],
        diskFormat: "qcow2",
        containerFormat: ["bare", "ovf"],
        sizeMinBytes: 1,
        sizeMaxBytes: 1024,
        createdAt: { since: "2026-11-01T00:00:00Z", until: "2026-11-30T00:00:00Z" },
        updatedAt: { until: "2026-11-30T00:00:00Z" },
        sort: [{ key: "name", direction: "asc" }, { key: "createdAt" }],
      },
      GLANCE_V2_CAPABILITIES,
      3,
    );
    expect(nameRegex).toBeUndefined();
    expect(toListQuery(filter)).toEqual({
      name: 'in:"a","b"',
      id: 'in:"id-1"',
      tag: ["x", "y"],
      properties: { os_distro: "ubuntu" },
      visibility: "shared",
      member_status: "pending",
      owner: "p1",
      os_hidden: true,
      protected: false,
      status: 'in:"active","queued"',
      disk_format: "qcow2",
      container_format: 'in:"bare","ovf"',
      size_min: 1,
      size_max: 1024,
      // Glance takes one operator per key: the start travels, the end is checked client-side
      created_at: "gte:2026-11-01T00:00:00Z",
      updated_at: "lt:2026-11-30T00:00:01Z",
      sort: "name:asc,created_at:desc",
      limit: 3,
    });
  });

  it("a name with a colon travels quoted in in: (Glance reads a:b as operator a); one with a quote stays client-side", () => {
    expect(toListQuery({ name: "ubuntu:22.04" })).toEqual({ name: 'in:"ubuntu:22.04"' });
    expect(toListQuery({ name: 'say "hi"' })).toEqual({ name: 'say "hi"' });
    expect(toListQuery({ name: ['a"b', "c"] })).toEqual({});
    expect(toListQuery({ name: "a:b\\c" })).toEqual({});
  });

  it("instants travel at Glance's one-second resolution, never narrower than the client-side check", () => {
    expect(toListQuery({ createdAt: { since: "2026-11-01T10:00:00.700+01:00" } })).toEqual({ created_at: "gte:2026-11-01T09:00:00Z" });
    expect(toListQuery({ updatedAt: { until: "2026-11-01T10:00:05.250Z" } })).toEqual({ updated_at: "lt:2026-11-01T10:00:06Z" });
  });

  it("visibility all, and a property named like a query key checked client-side only", () => {
    const { filter } = toLookupFilter({ visibility: "all", properties: { limit: "5", os_type: "linux" } }, GLANCE_V2_CAPABILITIES);
    expect(toListQuery(filter)).toEqual({ visibility: "all", properties: { os_type: "linux" } });
    expect(filter.properties).toEqual({ limit: "5", os_type: "linux" });
  });

  it("nameRegex alone and properties alone make filters of their own (TF#1864)", () => {
    const byRegex = toLookupFilter({ nameRegex: "^fix" }, GLANCE_V2_CAPABILITIES);
    expect(byRegex.filter).toEqual({});
    expect(byRegex.nameRegex?.test("fixture")).toBe(true);
    expect(toLookupFilter({ properties: { a: "1" } }, GLANCE_V2_CAPABILITIES).filter).toEqual({ properties: { a: "1" } });
  });

  it("bad values are refused per argument with the fix", () => {
    expect(refusal(() => toLookupFilter({ nameRegex: "(" }, GLANCE_V2_CAPABILITIES)).field).toBe("nameRegex");
    expect(refusal(() => toLookupFilter({ status: "gone" }, GLANCE_V2_CAPABILITIES)).message).toMatch(/status: "gone" is not an image status: use one of queued/);
    expect(refusal(() => toLookupFilter({ visibility: "everyone" as "all" }, GLANCE_V2_CAPABILITIES)).field).toBe("visibility");
    expect(refusal(() => toLookupFilter({ memberStatus: "maybe" as "all" }, GLANCE_V2_CAPABILITIES)).field).toBe("memberStatus");
    expect(refusal(() => toLookupFilter({ sizeMinBytes: -1 }, GLANCE_V2_CAPABILITIES)).field).toBe("sizeMinBytes");
    expect(refusal(() => toLookupFilter({ createdAt: { since: "yesterday" } }, GLANCE_V2_CAPABILITIES)).field).toBe("createdAt.since");
    expect(refusal(() => toLookupFilter({ sort: [{ key: "owner" as "name" }] }, GLANCE_V2_CAPABILITIES)).field).toBe("sort[0].key");
    expect(refusal(() => toLookupFilter({ name: "a", names: ["b"] }, GLANCE_V2_CAPABILITIES)).field).toBe("names");
    expect(refusal(() => toLookupFilter({ names: [] }, GLANCE_V2_CAPABILITIES)).field).toBe("names");
    expect(refusal(() => toLookupFilter({}, GLANCE_V2_CAPABILITIES, 0)).field).toBe("pageSize");
  });

  it("what the API lacks is refused naming the API, not matched as nothing", () => {
    expect(refusal(() => toLookupFilter({ tags: ["a"] }, V1_CAPABILITIES)).message).toMatch(/^tags: Glance v1 has no image tags/);
    expect(refusal(() => toLookupFilter({ hidden: true }, V1_CAPABILITIES)).message).toMatch(/^hidden: Glance v1 has no hidden images/);
    expect(refusal(() => toLookupFilter({ visibility: "community" }, V1_CAPABILITIES)).message).toMatch(/^visibility: Glance v1 has no community images/);
    expect(toLookupFilter({ visibility: "all", hidden: false }, V1_CAPABILITIES).filter).toEqual({ allVisibilities: true, hidden: false });
  });

  it("messages name the filters", () => {
    expect(describeFilters({ name: "n", tags: ["a", "b"], properties: { k: "v" }, nameRegex: "^x", hidden: true, createdAt: { since: "2026-11-01T00:00:00Z" } })).toBe(
      'name "n", nameRegex /^x/, tags ["a", "b"], properties {k=v}, hidden true, createdAt 2026-11-01T00:00:00Z..…',
    );
    expect(describeFilters({})).toBe("no filters (every image listed)");
  });
});

describe("the one client-side reading of a filter (on a recorded image)", () => {
  it("holds for each condition the image meets and fails for each it does not", () => {
    const holds = [
      { name: "fixture" },
      { name: ["other", "fixture"] },
      { ids: [record.id] },
      { status: "active" as const },
      { diskFormat: ["qcow2", "raw"] },
      { containerFormat: "bare" },
      { visibility: "shared" },
      { hidden: false },
      { protected: false },
      { owner: "0123456789abcdef0123456789abcdef" },
      { tags: ["a", "b"] },
      { sizeMinBytes: 65536, sizeMaxBytes: 65536 },
      { createdAt: { since: "2026-11-22T10:41:30Z", until: "2026-11-22T11:41:30+01:00" } },
      { updatedAt: { since: "2026-11-22T10:41:31Z" } },
    ];
    for (const filter of holds) expect(matchesFilter(record, filter), JSON.stringify(filter)).toBe(true);
    const fails = [
      { name: "fixtur" },
      { ids: ["x"] },
      { status: ["queued" as const] },
      { diskFormat: "qcow2" },
      { visibility: "private" },
      { hidden: true },
      { protected: true },
      { owner: "someone" },
      { tags: ["a", "c"] },
      { sizeMinBytes: 65537 },
      { sizeMaxBytes: 65535 },
      { createdAt: { since: "2026-11-22T10:41:31Z" } },
      { updatedAt: { until: "2026-11-22T10:41:30Z" } },
    ];
    for (const filter of fails) expect(matchesFilter(record, filter), JSON.stringify(filter)).toBe(false);
  });
});

describe("results", () => {
  it("the result carries the Image outputs' names, every property, and no more than the record", () => {
    const result = toLookupResult(record, "http://glance.example:9292");
    expect(result).toMatchObject({ id: record.id, name: "fixture", diskFormat: "raw", tags: ["a", "b"], sizeBytes: 65536, endpoint: "http://glance.example:9292" });
    expect(result.properties).toEqual(record.properties);
  });

  it("mostRecent takes the latest createdAt, then updatedAt, then id", () => {
    const at = (id: string, createdAt: string, updatedAt = createdAt) => ({ ...record, id, createdAt, updatedAt });
    const images = [at("a", "2026-11-01T00:00:00Z"), at("c", "2026-11-03T00:00:00Z"), at("b", "2026-11-02T00:00:00Z")];
    expect(mostRecent(images)?.id).toBe("c");
    expect(mostRecent([at("x", "2026-11-03T00:00:00Z"), at("y", "2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z")])?.id).toBe("y");
    expect(mostRecent([at("m", "2026-11-03T00:00:00Z"), at("n", "2026-11-03T00:00:00Z")])?.id).toBe("n");
    expect(mostRecent([])).toBeUndefined();
  });
});
