import { describe, expect, it } from "vitest";
import { ASSUMPTIONS, type Profile } from "../../src/dialects/vendor-htaiyun/contract";
import { GlanceError, HttpError, isNotFound } from "../../src/errors";
import { ADDRESS, FIELDS, createVia, setup, signal } from "../helpers/vendor-dialect-fixture";
import { EMULATOR_CREDENTIALS, type VendorEmulator } from "../helpers/vendor-emulator/server";

// The vendor dialect where the document leaves it alone: a create whose answer is lost (recovered by listing,
// never sent again), and the two readings it does not claim (notFound=400, paging=skip), which fail loudly.
describe("the two readings of unknown ids and paging the dialect does not claim fail loudly", () => {
  it("notFound=400 (not in ASSUMPTIONS.notFound.client): a read of a deleted image is the API's 400, never taken for gone", async () => {
    expect(ASSUMPTIONS.notFound.client).not.toContain("400");
    const { e, d } = await setup({ profile: { notFound: "400" } });
    const id = await createVia(d);
    await d.delete(id);
    const error = await d.get(id).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect(isNotFound(error), "a 400 is an invalid parameter, not a missing image: refresh must not drop the resource").toBe(false);
    expect(e.requests.at(-1)?.rule).toContain("notFound=400");
  });

  for (const count of [0, 5, 45]) {
    it(`paging=skip (not in ASSUMPTIONS.paging.client), ${count} images: the list fails naming L326-336, it does not return a partial list`, async () => {
      expect(ASSUMPTIONS.paging.client).not.toContain("skip");
      const { e, d } = await setup();
      for (let i = 0; i < count; i += 1) await d.createRecord(`s${i}`, { ...FIELDS, name: `skip-${i}` }, "k", signal()).then(() => d.importFromUrl(`s${i}`, ADDRESS, signal()));
      e.profile.paging = "skip";
      e.requests.length = 0;
      const listed: string[] = [];
      const error = await (async () => {
        for await (const image of d.list({})) listed.push(image.id);
      })().then(() => undefined, (err: unknown) => err);
      expect(error).toBeInstanceOf(GlanceError);
      expect(String(error)).toMatch(/does not page as its document says.*L326-336/);
      expect(listed).toEqual([]);
      expect(e.requests.filter((r) => r.op === "list")).toHaveLength(1);
      // a create lists its namesakes first (to recognise a lost answer): under skip it fails before sending the create
      await d.createRecord("s-new", FIELDS, "k", signal());
      await expect(d.importFromUrl("s-new", ADDRESS, signal())).rejects.toBeInstanceOf(GlanceError);
      expect(e.requests.filter((r) => r.op === "create")).toHaveLength(0);
    });
  }
});

describe("a create whose answer is lost is recognised by listing, never sent again (assumption createRepeat)", () => {
  // under the readings the recovery depends on: how keywords match, formats read back as null, numeric ids, JSON bodies
  const readings: Partial<Profile>[] = [{}, { keywords: "exact" }, { formatOutput: "null-on-read" }, { uniqueType: "integer" }, { bodyEncoding: "json" }];
  it.each(readings)("the answer dropped after the create was carried out: the one new namesake holding what was sent is adopted (%o)", async (profile) => {
    const { e, d } = await setup({ profile });
    const older = await createVia(d, "older");
    e.fail("create", "drop-after");
    await d.createRecord("lost", FIELDS, "k", signal());
    await d.importFromUrl("lost", ADDRESS, signal());
    const image = await d.waitUntilActive("lost", { timeoutMs: 10_000, timeoutName: "createTimeoutSeconds" });
    expect(e.requests.filter((r) => r.op === "create")).toHaveLength(2);
    expect(e.store.images.size).toBe(2);
    expect(image.id).not.toBe(older);
    expect(e.store.images.has(image.id)).toBe(true);
    expect(image.applicationNames).toEqual(["viewer", "QQ", "mysql"]);
  });

  it("a 503 before the create: no new namesake appears, the create was not carried out and says so (nothing sent again)", async () => {
    const { e, d } = await setup();
    e.fail("create", "503-before");
    await d.createRecord("x", FIELDS, "k", signal());
    const error = await d.importFromUrl("x", ADDRESS, signal()).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(GlanceError);
    expect(String(error)).toMatch(/no new image named "ls-junit" appears in the list, so it was not carried out/);
    expect(e.requests.filter((r) => r.op === "create")).toHaveLength(1);
    expect(e.store.images.size).toBe(0);
  });

  it("another client's namesake appearing meanwhile: nothing is adopted, the error names both ids and how to clean up", async () => {
    let emulator: VendorEmulator | undefined;
    const { e, d } = await setup({
      afterCreate: (image) => {
        const twin = { ...image, unique: emulator?.store.newId(Date.now()) ?? "" };
        emulator?.store.images.set(twin.unique, twin);
      },
    });
    emulator = e;
    e.fail("create", "drop-after");
    await d.createRecord("x", FIELDS, "k", signal());
    const error = await d.importFromUrl("x", ADDRESS, signal()).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(GlanceError);
    const message = String(error);
    for (const id of e.store.images.keys()) expect(message).toContain(id);
    expect(message).toMatch(/cannot be told.*GET \/v1\/openstack\/image\/list with keywords "ls-junit".*GET \/v1\/openstack\/image\/\{id\}\/delete/);
    expect(e.requests.filter((r) => r.op === "create")).toHaveLength(1);
    expect(e.requests.filter((r) => r.op === "delete")).toHaveLength(0);
    for (const value of Object.values(EMULATOR_CREDENTIALS)) expect(message).not.toContain(value);
  });
});

