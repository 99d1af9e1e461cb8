import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASSUMPTIONS, CONTRACT_ROWS, EXAMPLE_ROWS, SEED, type Profile } from "../../src/dialects/vendor-htaiyun/contract";
import { VendorHtaiyunDialect } from "../../src/dialects/vendor-htaiyun/dialect";
import { toRecord } from "../../src/dialects/vendor-htaiyun/mapping";
import { AuthError, HttpError, ImageStatusError, ImportFailedError, InputError, NetworkError, isNotFound } from "../../src/errors";
import { ASYNC_READS } from "../helpers/vendor-emulator/operations";
import { ADDRESS, FIELDS, createVia, setup, signal } from "../helpers/vendor-dialect-fixture";
import { EMULATOR_CREDENTIALS, type VendorEmulator } from "../helpers/vendor-emulator/server";

// The vendor dialect against the contract-driven emulator, under every reading of the document it claims to
// support (ASSUMPTIONS[*].client): a reading the dialect did not handle fails here, naming the assumption.

const ROW_IDS = new Set(CONTRACT_ROWS.map((r) => r.id));

/** Every rule an answer named is a contract row (with its citation) or a reading of a named assumption. */
function expectRulesInContract(e: VendorEmulator): void {
  expect(e.requests.length).toBeGreaterThan(0);
  for (const request of e.requests) {
    expect(request.rule, `${request.method} ${request.path} named a rule`).not.toBe("");
    for (const token of request.rule.split("; ")) {
      const reading = /^(\w+)=(.+)$/.exec(token);
      if (reading !== null && reading[1] !== "fault") {
        const alternatives = (ASSUMPTIONS as Record<string, { alternatives: Record<string, string> }>)[reading[1] ?? ""]?.alternatives ?? {};
        expect(Object.hasOwn(alternatives, reading[2] ?? ""), `${token} is a reading of a named assumption`).toBe(true);
      } else if (reading === null) {
        const [id, ...cite] = token.split(" ");
        expect(ROW_IDS.has(id ?? ""), `${token} is a contract row`).toBe(true);
        const row = CONTRACT_ROWS.find((r) => r.id === id);
        if (cite.length > 0) expect(cite.join(" "), `${token} cites the row's lines`).toBe(row?.cite);
      }
    }
  }
}

/** Every (assumption, reading) pair the dialect claims, each as a profile differing from the default in that one reading. */
const READINGS = Object.entries(ASSUMPTIONS).flatMap(([name, a]) => a.client.filter((c) => c !== a.emulator).map((c) => ({ name, reading: c })));

describe("vendor dialect lifecycle under each reading of the document it claims", () => {
  for (const { name, reading } of [{ name: "default", reading: "(every default)" }, ...READINGS]) {
    it(`${name}=${reading}`, async () => {
      const profile = name === "default" ? {} : ({ [name]: reading } as Partial<Profile>);
      const { e, d } = await setup({ profile });
      const id = await createVia(d);
      expect(e.store.images.has(id), "the API's own id is the record's id").toBe(true);
      const read = await d.get(id);
      expect(read).toMatchObject({ id, name: "ls-junit", status: "active", visibility: "private", protected: false, tags: [], hidden: false });
      expect(read.properties).toEqual({ description: "junit测试-可删除" });
      expect(read.applicationNames).toEqual(["viewer", "QQ", "mysql"]);
      expect(Date.parse(read.createdAt)).toBe(e.store.images.get(id)?.created);

      const renamed = await d.update(id, read, () => ({ name: "test", properties: { description: "" } }));
      expect(renamed).toMatchObject({ id, name: "test" });
      expect(renamed.properties).toEqual({});
      expect(renamed.applicationNames, "names survive an update that does not send them").toEqual(["viewer", "QQ", "mysql"]);
      const unchanged = e.requests.length;
      expect(await d.update(id, renamed, () => ({ name: "test" }))).toBe(renamed);
      expect(e.requests.length, "an update that already holds sends nothing").toBe(unchanged);

      const listed = [];
      for await (const image of d.list({ name: "test" })) listed.push(image.id);
      expect(listed).toEqual([id]);

      await d.delete(id);
      expect(e.requests.filter((r) => r.op === "delete")).toHaveLength(1);
      const gone = await d.get(id).then(() => undefined, (error: unknown) => error);
      expect(isNotFound(gone), String(gone)).toBe(true);
      const again = await d.delete(id).then(() => "ok", (error: unknown) => (isNotFound(error) ? "not-found" : error));
      expect(again).toBe(profile.deleteIsGet === "ok" ? "ok" : "not-found");
      expectRulesInContract(e);
      for (const r of e.requests) {
        expect(r.headers["ht-access-token"]).toBe(EMULATOR_CREDENTIALS.accessToken);
        expect(r.headers["imr-session-token"]).toBe(EMULATOR_CREDENTIALS.sessionToken);
        expect(r.headers["imr-session-secret"]).toBe(EMULATOR_CREDENTIALS.sessionSecret);
      }
    });
  }

  it("createdStatus=async: the wait reads until ACTIVED", async () => {
    const { e, d } = await setup({ profile: { createdStatus: "async" } });
    const polls: string[] = [];
    await d.createRecord("id-1", FIELDS, "k", signal());
    await d.importFromUrl("id-1", ADDRESS, signal());
    const image = await d.waitUntilActive("id-1", { timeoutMs: 10_000, timeoutName: "createTimeoutSeconds", onPoll: (i) => polls.push(i.status) });
    expect(image.status).toBe("active");
    expect(polls).toEqual([...Array<string>(ASYNC_READS - 1).fill("saving"), "active"]);
    expect(e.requests.filter((r) => r.op === "read")).toHaveLength(ASYNC_READS);
  });
});

describe("paging and readings the dialect does not claim", () => {
  it("list walks every page (page from 1, offset = page size, until hasNext is false: L326-336, L392-395)", async () => {
    const { e, d } = await setup();
    for (let i = 0; i < 45; i += 1) await d.createRecord(`p${i}`, { ...FIELDS, name: `page-${i}` }, "k", signal()).then(() => d.importFromUrl(`p${i}`, ADDRESS, signal()));
    e.requests.length = 0;
    const ids = new Set<string>();
    for await (const image of d.list({})) ids.add(image.id);
    expect(ids.size).toBe(45);
    expect(e.requests.filter((r) => r.op === "list").map((r) => new URLSearchParams(r.query).get("page"))).toEqual(["1", "2", "3"]);
  });

  // Readings outside ASSUMPTIONS[*].client: the dialect does not support them, and they fail loudly (a 400), never silently.
  for (const profile of [{ arrayEncoding: "brackets" }, { arrayEncoding: "comma" }, { applicationNamesEmpty: "non-empty" }] as Partial<Profile>[]) {
    it(`${JSON.stringify(profile)} is not claimed: the create is refused, not half-done`, async () => {
      const { e, d } = await setup({ profile });
      const fields = profile.applicationNamesEmpty === undefined ? FIELDS : { ...FIELDS, applicationNames: [] };
      await d.createRecord("x", fields, "k", signal());
      const error = await d.importFromUrl("x", ADDRESS, signal()).then(() => undefined, (err: unknown) => err);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect(e.store.images.size).toBe(0);
      expectRulesInContract(e);
    });
  }
});

describe("delete is a GET that deletes: sent exactly once", () => {
  it("an answer lost after the delete was carried out is not repeated (one request; the image is gone)", async () => {
    const { e, d } = await setup();
    const id = await createVia(d);
    e.fail("delete", "drop-after");
    await expect(d.delete(id)).rejects.toBeInstanceOf(NetworkError);
    expect(e.requests.filter((r) => r.op === "delete")).toHaveLength(1);
    expect(e.store.images.has(id)).toBe(false);
  });

  it("a 503 to the delete is not retried, where the same 503 to a read is", async () => {
    const { e, d } = await setup();
    const id = await createVia(d);
    e.fail("read", "503-before");
    expect((await d.get(id)).id).toBe(id);
    expect(e.requests.filter((r) => r.op === "read").length).toBeGreaterThanOrEqual(3);
    e.fail("delete", "503-before");
    const error = await d.delete(id).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect(e.requests.filter((r) => r.op === "delete")).toHaveLength(1);
    expect(e.store.images.has(id)).toBe(true);
  });
});

describe("failures", () => {
  it("wrong access headers are an AuthError that names the settings and never the values", async () => {
    const { d } = await setup({}, { sessionSecret: "wrong-secret-value-9999" });
    const error = await d.get("590d77bb37da647417197552").then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(AuthError);
    expect(String(error)).toMatch(/glance:vendorSessionSecret/);
    expect(String(error)).not.toContain("wrong-secret-value-9999");
    expect(String(error)).not.toContain(EMULATOR_CREDENTIALS.accessToken);
  });

  it("a KILLED image ends the wait of a create at once (ImportFailedError), a status the document does not list too", async () => {
    const { d } = await setup({ afterCreate: (image) => void (image.status = image.name === "killed" ? "KILLED" : "UNRECOGNIZED") });
    await d.createRecord("k1", { ...FIELDS, name: "killed" }, "k", signal());
    await d.importFromUrl("k1", ADDRESS, signal());
    await expect(d.waitUntilActive("k1", { importing: true, timeoutMs: 10_000, timeoutName: "createTimeoutSeconds" })).rejects.toBeInstanceOf(ImportFailedError);
    await d.createRecord("k2", { ...FIELDS, name: "odd" }, "k", signal());
    await d.importFromUrl("k2", ADDRESS, signal());
    const odd = await d.waitUntilActive("k2", { timeoutMs: 10_000, timeoutName: "createTimeoutSeconds" }).then(() => undefined, (err: unknown) => err);
    expect(odd).toBeInstanceOf(ImageStatusError);
    expect((odd as ImageStatusError).lastStatus).toBe("UNRECOGNIZED");
  });

  it("an invalid create input is the API's 400 (formatInputCase=upper: the dialect sends upper-case)", async () => {
    const { e, d } = await setup();
    await d.createRecord("bad", { ...FIELDS, diskFormat: "qcow3" }, "k", signal());
    const error = await d.importFromUrl("bad", ADDRESS, signal()).then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect(e.requests.filter((r) => r.op === "create")).toHaveLength(1);
  });

  it("changes the API cannot make are InputErrors naming the input, and nothing is sent", async () => {
    const { e, d } = await setup();
    const id = await createVia(d);
    const image = await d.get(id);
    const before = e.requests.length;
    const cases: [Parameters<VendorHtaiyunDialect["update"]>[2], string][] = [
      [() => ({ applicationNames: ["viewer"] }), "applicationNames"],
      [() => ({ properties: { applicationNames: "viewer" } }), 'properties["applicationNames"]'],
      [() => ({ protected: true }), "protected"],
      [() => ({ visibility: "public" }), "visibility"],
      [() => ({ minRamMb: 512 }), "minRamMb"],
      [() => ({ tags: ["a"] }), "tags"],
      [() => ({ diskFormat: "raw" }), "diskFormat"],
      [() => ({ properties: { os_distro: "cirros" } }), 'properties["os_distro"]'],
    ];
    for (const [want, field] of cases) {
      const error = await d.update(id, image, want).then(() => undefined, (err: unknown) => err);
      expect(error, field).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe(field);
    }
    expect(e.requests.length).toBe(before);
    await expect(d.upload()).rejects.toBeInstanceOf(InputError);
  });
});

describe("the seed's own examples decode through the one mapping", () => {
  const lines = readFileSync(join(__dirname, "../../src/dialects/vendor-htaiyun/contract", SEED.file), "utf8").split("\n");
  const example = (op: string): { result?: Record<string, unknown> } => {
    const row = EXAMPLE_ROWS.find((r) => r.op === op);
    return JSON.parse(lines.slice((row?.lines[0] ?? 1) - 1, row?.lines[1]).join("\n")) as { result?: Record<string, unknown> };
  };

  it.each([
    ["create (L74-88)", "create", "ls-junit"],
    ["update (L158-171)", "update", "test"],
  ])("%s: ACTIVED is active, ms timestamps become ISO, formats lower-case, application ids (numbers) give no names", (_what, op, name) => {
    const record = toRecord(example(op).result ?? {}, "");
    expect(record).toMatchObject({ id: "5913d2e59778c38af32ec032", status: "active", name, diskFormat: "qcow2", containerFormat: "bare", sizeBytes: 13287936, createdAt: new Date(1494471397428).toISOString() });
    expect(record.properties).toEqual({ description: "junit测试-可删除" });
    expect(record.applicationNames).toBeUndefined();
  });

  it("read (L211-226): null formats stay null, application names become the record's", () => {
    const record = toRecord(example("read").result ?? {}, "");
    expect(record).toMatchObject({ id: "590d77bb37da647417197552", diskFormat: null, containerFormat: null, visibility: "private", protected: false });
    expect(record.properties).toEqual({ description: "junit测试-可删除" });
    expect(record.applicationNames).toEqual(["viewer", "QQ", "mysql"]);
  });

  it("list (L357-374): each entity is a record", () => {
    const entities = (example("list").result?.["entities"] ?? []) as Record<string, unknown>[];
    expect(entities.map((x) => toRecord(x, "").id)).toEqual(["590d77bb37da647417197552"]);
  });
});
