import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createQueued, newDialect, runPrefix, sweep } from "./v1-helpers";

// a page of 2 over 5 images: the listing must follow limit + marker (v1 has no next link)
const dialect = newDialect({ pageSize: 2 });
const prefix = runPrefix("paging");
const made = new Set<string>();

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
});

describe("Glance v1 dialect: listing", () => {
  it("follows limit + marker pages to the end, with the server's property filter", async () => {
    const batch = randomUUID();
    for (let i = 0; i < 5; i++) made.add((await createQueued(dialect, `${prefix}-${i}`, { batch })).id);
    const listed: string[] = [];
    for await (const image of dialect.list({ properties: { batch } })) listed.push(image.id);
    expect(listed).toHaveLength(5);
    expect(new Set(listed)).toEqual(made);
  });

  it("filters by name and status; asks for tags or hidden images find nothing (v1 has neither)", async () => {
    const name = `${prefix}-3`;
    const byName: string[] = [];
    for await (const image of dialect.list({ name, status: "queued" })) byName.push(image.name ?? "");
    expect(byName).toEqual([name]);
    const active: string[] = [];
    for await (const image of dialect.list({ name, status: "active" })) active.push(image.id);
    expect(active).toEqual([]);
    const tagged: string[] = [];
    for await (const image of dialect.list({ name, tags: ["x"] })) tagged.push(image.id);
    expect(tagged).toEqual([]);
    const hidden: string[] = [];
    for await (const image of dialect.list({ name, hidden: true })) hidden.push(image.id);
    expect(hidden).toEqual([]);
    const visible: string[] = [];
    for await (const image of dialect.list({ name, hidden: false })) visible.push(image.id);
    expect(visible).toHaveLength(1);
  });
});
