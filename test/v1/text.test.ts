import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors";
import { createQueued, newDialect, runPrefix, serverProperties, sweep } from "./v1-helpers";

const dialect = newDialect();
const prefix = runPrefix("text");
const made = new Set<string>();

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
});

async function refusal(promise: Promise<unknown>): Promise<InputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe("Glance v1 dialect: text in headers", () => {
  it("a non-ASCII name and property value round-trip through HEAD, the JSON answers and the listing", async () => {
    const name = `${prefix}-café ☃ 日本`;
    const created = await createQueued(dialect, name, { description: "Ünïcødé — ok", plain: "caf%C3%A9 100%" });
    made.add(created.id);
    expect(created.name).toBe(name);
    expect(created.properties).toMatchObject({ description: "Ünïcødé — ok", plain: "caf%C3%A9 100%" });
    expect(await dialect.get(created.id)).toMatchObject({ name, properties: { description: "Ünïcødé — ok", plain: "caf%C3%A9 100%" } });
    // the v1 server stores what it was sent: no percent-decoding anywhere
    expect(await serverProperties(created.id)).toMatchObject({ description: "Ünïcødé — ok", plain: "caf%C3%A9 100%" });

    const updated = await dialect.update(created.id, created, () => ({ name: `${name} ß`, properties: { description: "Ελληνικά" } }));
    expect(updated).toMatchObject({ name: `${name} ß`, properties: { description: "Ελληνικά" } });

    const byName: string[] = [];
    for await (const image of dialect.list({ name: `${name} ß` })) byName.push(image.id);
    expect(byName).toEqual([created.id]);
    const byProperty: string[] = [];
    for await (const image of dialect.list({ properties: { description: "Ελληνικά" } })) byProperty.push(image.id);
    expect(byProperty).toEqual([created.id]);
  });

  it("refuses, per input and naming Glance v1, what v1 cannot hold as sent", async () => {
    const base = { diskFormat: "raw", containerFormat: "bare" };
    const signal = AbortSignal.timeout(60_000);
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await refusal(dialect.createRecord(id, { ...base, properties: { "Foo-Bar": "x" } }, "m", signal))).field).toBe('properties["Foo-Bar"]');
    expect((await refusal(dialect.createRecord(id, { ...base, properties: { "hw:cpu": "x" } }, "m", signal))).field).toBe('properties["hw:cpu"]');
    expect((await refusal(dialect.createRecord(id, { ...base, name: "emoji 😀" }, "m", signal))).message).toMatch(/Glance v1.*4-byte/);
    expect((await refusal(dialect.createRecord(id, { ...base, properties: { k: "" } }, "m", signal))).field).toBe('properties["k"]');
    expect((await refusal(dialect.createRecord(id, { ...base, name: "two\nlines" }, "m", signal))).field).toBe("name");
    expect((await refusal(dialect.createRecord(id, { ...base, tags: ["a"] }, "m", signal))).field).toBe("tags");
    expect((await refusal(dialect.createRecord(id, { ...base, hidden: true }, "m", signal))).field).toBe("hidden");
    const shared = await refusal(dialect.createRecord(id, { ...base, visibility: "shared" }, "m", signal));
    expect(shared.field).toBe("visibility");
    expect(shared.message).toMatch(/Glance v1 knows only public and private/);
    // nothing reached the server
    const gone = await dialect.get(id).catch((error: unknown) => error);
    expect(gone).toMatchObject({ status: 404 });
  });

  it("a disk format Glance v1 refuses is an InputError on diskFormat carrying Glance's message", async () => {
    const error = await refusal(createQueuedWithFormat("bogus"));
    expect(error.field).toBe("diskFormat");
    expect(error.message).toMatch(/Invalid disk format 'bogus'/);
  });
});

function createQueuedWithFormat(diskFormat: string): Promise<unknown> {
  return dialect.createRecord(crypto.randomUUID(), { name: `${prefix}-bogus`, diskFormat, containerFormat: "bare" }, "m", AbortSignal.timeout(60_000));
}
