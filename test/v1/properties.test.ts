import { afterAll, describe, expect, it } from "vitest";
import { createQueued, newDialect, rawV1, runPrefix, serverProperties, sweep } from "./v1-helpers";

const dialect = newDialect();
const prefix = runPrefix("props");
const made = new Set<string>();

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
});

describe("Glance v1 dialect: managed keys only (a metadata PUT replaces the property set unless told not to)", () => {
  it("an update sets only its keys: a property an operator added survives", async () => {
    const created = await createQueued(dialect, `${prefix}-set`, { managed_a: "1", managed_b: "2" });
    made.add(created.id);
    // the operator's own client, out of band
    expect((await rawV1("PUT", `/v1/images/${created.id}`, { "x-glance-registry-purge-props": "false", "x-image-meta-property-operator_note": "keep me" })).status).toBe(200);

    const updated = await dialect.update(created.id, created, () => ({ properties: { managed_a: "1b" } }));
    expect(updated.properties).toMatchObject({ managed_a: "1b", managed_b: "2", operator_note: "keep me" });
    expect((await dialect.get(created.id)).properties).toMatchObject({ managed_a: "1b", managed_b: "2", operator_note: "keep me" });
  });

  it("removing a property removes only it: the operator's properties survive, one held as null included", async () => {
    const created = await createQueued(dialect, `${prefix}-remove`, { managed_a: "1", managed_b: "2" });
    made.add(created.id);
    const oob = await rawV1("PUT", `/v1/images/${created.id}`, {
      "x-glance-registry-purge-props": "false",
      "x-image-meta-property-operator_note": "keep me",
      "x-image-meta-property-operator_empty": "",
    });
    expect(oob.status).toBe(200);
    expect(await serverProperties(created.id)).toMatchObject({ operator_note: "keep me", operator_empty: null });

    // the provider's view is from before the operator's change: the dialect must not trust it for the purge
    const updated = await dialect.update(created.id, created, () => ({ properties: { managed_a: "1c" }, removeProperties: ["managed_b"] }));
    expect(updated.properties).toEqual({ ...created.properties, managed_a: "1c", managed_b: undefined, operator_note: "keep me" });
    expect(Object.hasOwn(updated.properties, "managed_b")).toBe(false);
    const held = await serverProperties(created.id);
    expect(held).toMatchObject({ managed_a: "1c", operator_note: "keep me", operator_empty: null });
    expect(Object.hasOwn(held, "managed_b")).toBe(false);
  });

  it("a removal of a property the image does not have, and a change to what already holds, send nothing", async () => {
    const created = await createQueued(dialect, `${prefix}-noop`, { managed_a: "1" });
    made.add(created.id);
    const same = await dialect.update(created.id, created, () => ({ name: created.name ?? "", properties: { managed_a: "1" }, removeProperties: ["never_there"] }));
    expect(same).toBe(created);
    expect((await dialect.get(created.id)).updatedAt).toBe(created.updatedAt);
  });

  it("want is asked with the image the dialect was given, and only its keys are compared", async () => {
    const created = await createQueued(dialect, `${prefix}-want`, { managed_a: "1" });
    made.add(created.id);
    const seen: string[] = [];
    const updated = await dialect.update(created.id, created, (image) => {
      seen.push(image.id);
      return { minRamMb: 128, removeProperties: ["managed_a"] };
    });
    expect(seen).toEqual([created.id]);
    expect(updated.minRamMb).toBe(128);
    expect(Object.hasOwn(updated.properties, "managed_a")).toBe(false);
  });
});
