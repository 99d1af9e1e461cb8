import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BASE_ROW, ENVELOPE_ROWS, EXAMPLE_ROWS, HEADER_ROWS, INPUT_ROWS, RESULT_ROWS, ROUTE_ROWS, SEED, inputsOf,
  type FieldSpec, type InputRow, type OperationName, type Profile,
} from "../../src/dialects/vendor-htaiyun/contract";
import { failureStatus, rawCall, type RawAnswer } from "../helpers/vendor-emulator/call";
import { startVendorEmulator, type VendorEmulator } from "../helpers/vendor-emulator/server";

// Conformance to the contract (seed 004 as transcribed), one test per contract row, against the emulator the
// tests start on 127.0.0.1. The expectations come from the rows (their types, defaults, enumerations,
// examples) and the named assumptions, never from the emulator's code. Every failure message carries the
// x-contract-rule the emulator said it followed.
const seedLines = readFileSync(join(__dirname, "../../src/dialects/vendor-htaiyun/contract", SEED.file), "utf8").split("\n");

const emulators: VendorEmulator[] = [];
async function emulator(profile: Partial<Profile> = {}): Promise<VendorEmulator> {
  const e = await startVendorEmulator({ profile });
  emulators.push(e);
  return e;
}
afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

/** The required inputs of `op` at their samples (the seed's example values), as the contract lists them. */
function validParams(op: OperationName, extra: Record<string, unknown> = {}): Record<string, string | number | boolean | readonly string[]> {
  const params: Record<string, string | number | boolean | readonly string[]> = {};
  for (const row of inputsOf(op)) if (row.required && row.name !== "imageId") params[row.name] = row.sample;
  return { ...params, ...(extra as typeof params) };
}

async function createOne(e: VendorEmulator, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await rawCall(e, "create", { params: validParams("create", extra) });
  expect(answer.body.status, answer.rule).toBe(200);
  return String((answer.body.result as { unique: unknown }).unique);
}

/** A valid call of `op` on a fresh image (update/read/delete) or the collection. */
async function validCall(e: VendorEmulator, op: OperationName, extra: Record<string, unknown> = {}): Promise<RawAnswer> {
  if (op === "create") return rawCall(e, op, { params: validParams(op, extra) });
  const id = op === "list" ? undefined : await createOne(e);
  const withId = e.profile.imageIdLocation === "both" && id !== undefined ? { imageId: id } : {};
  return rawCall(e, op, { params: { ...validParams(op, extra), ...withId }, ...(id === undefined ? {} : { imageId: id }) });
}

function jsonType(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

let plain: VendorEmulator;
beforeAll(async () => {
  plain = await emulator();
});

describe("base and envelope rows", () => {
  it(`${BASE_ROW.id} (${BASE_ROW.cite}): every route lives under ${BASE_ROW.prefix}`, () => {
    for (const route of ROUTE_ROWS) expect(route.path.startsWith(`${BASE_ROW.prefix}/`), route.id).toBe(true);
  });

  for (const row of ENVELOPE_ROWS) {
    it(`${row.id} (${row.cite ?? ""}): every operation's success answer carries it`, async () => {
      for (const op of ["create", "update", "read", "list", "delete"] as const) {
        const before = Date.now();
        const answer = await validCall(plain, op);
        const after = Date.now();
        expect(answer.body.status, answer.rule).toBe(200);
        const holder: Record<string, unknown> =
          row.id === "all.envelope" ? answer.body : ((op === "list" ? (answer.body.result as { entities: unknown[] }).entities[0] : answer.body.result) as Record<string, unknown> | undefined) ?? {};
        if (row.id === "all.timestamps" && op === "delete") continue;
        for (const f of row.fields) {
          if (!f.required && !Object.hasOwn(holder, f.name)) {
            expect(op === "delete" && f.name === "result", `${op}: ${f.name} may be absent only where the seed omits it`).toBe(true);
            continue;
          }
          expect(f.shown, `${f.name} (${f.cite ?? ""})`).toContain(jsonType(holder[f.name]));
        }
        if (row.id === "all.envelope") expect(answer.body).toMatchObject({ status: 200, message: "OK", links: [] });
        if (row.id === "all.timestamps" && op === "create") {
          // assumption timestamps=epoch-ms: the create's own instant
          const created = (answer.body.result as { created: number }).created;
          expect(created >= before && created <= after, `created ${created} in [${before}, ${after}] ms`).toBe(true);
        }
      }
    });
  }
});

describe("route rows: method and path", () => {
  for (const row of ROUTE_ROWS) {
    it(`${row.id} (${row.cite ?? ""}): ${row.method} ${row.path} is the operation; the other method is not`, async () => {
      const answer = await validCall(plain, row.op);
      expect(answer.body.status, answer.rule).toBe(200);
      expect(answer.rule).toContain(row.id);
      const other = await rawCall(plain, row.op, { method: row.method === "GET" ? "POST" : "GET", imageId: "5913d2e59778c38af32ec032" });
      expect(failureStatus(other), other.rule).not.toBe(200);
    });
  }
});

describe("header rows: each operation needs its three headers", () => {
  for (const row of HEADER_ROWS) {
    it(`${row.id} (${row.cite ?? ""}): missing or wrong is refused as authFailure says, present is accepted`, async () => {
      for (const authFailure of ["403", "401"] as const) {
        const e = authFailure === "403" ? plain : await emulator({ authFailure });
        const missing = await rawCall(e, row.op, { omitHeaders: [row.name], params: validParams(row.op), imageId: "5913d2e59778c38af32ec032" });
        expect(failureStatus(missing), missing.rule).toBe(Number(authFailure));
        expect(missing.rule).toContain(`${row.id}; authFailure=${authFailure}`);
        const wrong = await rawCall(e, row.op, { headerValues: { [row.name]: "not-the-value" }, params: validParams(row.op), imageId: "5913d2e59778c38af32ec032" });
        expect(failureStatus(wrong), wrong.rule).toBe(Number(authFailure));
      }
      const ok = await validCall(plain, row.op);
      expect(ok.body.status, ok.rule).toBe(200);
    });
  }
});

/** An input value that breaks the row's documented type, or `undefined` for a String. */
function wrongType(row: InputRow): string | undefined {
  if (row.type === "Integer" || row.type === "Long") return "twenty";
  if (row.type === "Boolean") return "maybe";
  return undefined;
}

describe("input rows: required, type, default, enumeration", () => {
  for (const row of INPUT_ROWS) {
    it(`${row.id} (${row.cite ?? ""}): ${row.type}, ${row.required ? "required" : "optional"}${row.default === undefined ? "" : `, default ${String(row.default)}`}`, async () => {
      if (row.name === "imageId") {
        // imageIdLocation: under "both" the parameter is required and must match the path; under "path" the path carries it
        const both = await emulator({ imageIdLocation: "both" });
        const id = await createOne(both);
        const without = await rawCall(both, row.op, { imageId: id, params: validParams(row.op) });
        expect(failureStatus(without), without.rule).toBe(400);
        expect(without.rule).toContain(row.id);
        const mismatch = await rawCall(both, row.op, { imageId: id, params: { ...validParams(row.op), imageId: "5913d2e59778c38af32ec032" } });
        expect(failureStatus(mismatch), mismatch.rule).toBe(400);
        const ok = await rawCall(both, row.op, { imageId: id, params: { ...validParams(row.op), imageId: id } });
        expect(ok.body.status, ok.rule).toBe(200);
        return;
      }
      const sample = await validCall(plain, row.op, { [row.name]: row.sample });
      expect(sample.body.status, `the sample ${JSON.stringify(row.sample)} is accepted: ${sample.rule}`).toBe(200);
      if (row.required) {
        const params = validParams(row.op);
        delete params[row.name];
        const missing = await rawCall(plain, row.op, { params });
        expect(failureStatus(missing), missing.rule).toBe(400);
        expect(missing.rule).toContain(row.id);
      }
      const bad = wrongType(row);
      if (bad !== undefined) {
        const answer = await validCall(plain, row.op, { [row.name]: bad });
        expect(failureStatus(answer), answer.rule).toBe(400);
        expect(answer.rule).toContain(row.id);
      }
      for (const value of row.values ?? []) {
        const answer = await validCall(plain, row.op, { [row.name]: value });
        expect(answer.body.status, `${value}: ${answer.rule}`).toBe(200);
      }
      if (row.values !== undefined) {
        const answer = await validCall(plain, row.op, { [row.name]: "NOT_DOCUMENTED" });
        expect(failureStatus(answer), answer.rule).toBe(400);
      }
      if (row.default !== undefined) await checkDefault(row);
      if (row.op === "create" || row.op === "update") {
        // what was sent is what the image holds where the result has the same field (formats: lower-case, formatOutput)
        const result = sample.body.result as Record<string, unknown>;
        if (row.name === "name" || row.name === "description" || row.name === "minLimit") expect(result[row.name]).toEqual(row.sample);
        if (row.name === "containerFormat" || row.name === "diskFormat") expect(result[row.name]).toBe(String(row.sample).toLowerCase());
      }
    });
  }
});

/** Leaving a defaulted input out is the same as sending its default (25 images: more than the default page). */
async function checkDefault(row: InputRow): Promise<void> {
  const e = await emulator();
  for (let i = 0; i < 25; i += 1) await createOne(e, { name: `image-${String(i).padStart(2, "0")}` });
  const ids = (a: RawAnswer): unknown[] => (a.body.result as { entities: { unique: unknown }[] }).entities.map((x) => x.unique);
  const base = { order: "name" };
  const omitted = await rawCall(e, row.op, { params: base });
  const explicit = await rawCall(e, row.op, { params: { ...base, [row.name]: row.default } });
  expect(omitted.body.status, omitted.rule).toBe(200);
  expect(ids(omitted)).toEqual(ids(explicit));
  if (row.name === "offset") expect(ids(omitted)).toHaveLength(Number(row.default));
  if (row.name === "page") {
    const second = await rawCall(e, row.op, { params: { ...base, page: 2 } });
    expect((second.body.result as { hasPrevious: boolean }).hasPrevious).toBe(true);
    expect(ids(second)).toHaveLength(25 - 20);
    expect((omitted.body.result as { hasNext: boolean; hasPrevious: boolean })).toMatchObject({ hasNext: true, hasPrevious: false, total: 25 });
  }
}

function checkFields(fields: readonly FieldSpec[], holder: Record<string, unknown>, profile: Profile, where: string): void {
  for (const f of fields) {
    const value = holder[f.name];
    if (f.assumes?.includes("visibilityFlags") === true) {
      if (profile.visibilityFlags === "absent") expect(Object.hasOwn(holder, f.name), `${where}.${f.name}: visibilityFlags=absent`).toBe(false);
      else expect(typeof value, `${where}.${f.name}: visibilityFlags=present`).toBe("boolean");
      continue;
    }
    if (f.assumes?.includes("formatOutput") === true) {
      const nullHere = profile.formatOutput === "null-on-read" && (where.startsWith("read") || where.startsWith("list"));
      if (nullHere) expect(value, `${where}.${f.name} (${f.cite ?? ""}) formatOutput=null-on-read`).toBeNull();
      else expect(value, `${where}.${f.name} formatOutput=lower`).toMatch(/^[a-z0-9]+$/);
      continue;
    }
    if (f.assumes?.includes("uniqueType") === true && profile.uniqueType === "integer") {
      expect(typeof value, `${where}.${f.name}: uniqueType=integer`).toBe("number");
      continue;
    }
    expect(f.shown, `${where}.${f.name} (${f.cite ?? ""}) is ${jsonType(value)}`).toContain(jsonType(value));
  }
}

describe("result rows: every field with its documented type", () => {
  for (const row of RESULT_ROWS) {
    it(`${row.id} (${row.cite ?? ""}): ${row.shape}`, async () => {
      for (const profile of [{}, { visibilityFlags: "present", formatOutput: "null-on-read", uniqueType: "integer" }] as Partial<Profile>[]) {
        const e = Object.keys(profile).length === 0 ? plain : await emulator(profile);
        if (row.op === "list") await createOne(e);
        const answer = await validCall(e, row.op);
        expect(answer.body.status, answer.rule).toBe(200);
        if (row.shape === "none") {
          expect(Object.hasOwn(answer.body, "result"), answer.rule).toBe(false);
          continue;
        }
        const result = answer.body.result as Record<string, unknown>;
        checkFields(row.fields, result, e.profile, row.id);
        if (row.shape === "page") {
          const entities = result["entities"] as Record<string, unknown>[];
          expect(entities.length).toBeGreaterThan(0);
          for (const entity of entities) checkFields(row.entityFields ?? [], entity, e.profile, `list.entities`);
        }
        if (row.op === "create") expect(result["status"], "createdStatus=sync: ACTIVED at once (L79)").toBe("ACTIVED");
      }
    });
  }
});

/** The keys of the seed's example (its envelope, result, and first entity), and the same of an answer. */
function shapeOf(body: Record<string, unknown>): string[] {
  const keys = Object.keys(body).map((k) => `envelope.${k}`);
  const result = body["result"] as Record<string, unknown> | undefined;
  if (result !== undefined) keys.push(...Object.keys(result).map((k) => `result.${k}`));
  const entity = (result?.["entities"] as Record<string, unknown>[] | undefined)?.[0];
  if (entity !== undefined) keys.push(...Object.keys(entity).map((k) => `entity.${k}`));
  return keys.sort();
}

describe("example rows: the answer has the example's shape", () => {
  for (const row of EXAMPLE_ROWS) {
    it(`${row.id} (${row.cite ?? ""})`, async () => {
      const example = JSON.parse(seedLines.slice(row.lines[0] - 1, row.lines[1]).join("\n")) as Record<string, unknown>;
      if (row.op === "list") await createOne(plain);
      const answer = await validCall(plain, row.op);
      expect(answer.body.status, answer.rule).toBe(200);
      expect(shapeOf(answer.body as unknown as Record<string, unknown>)).toEqual(shapeOf(example));
    });
  }
});

describe("coverage of the contract by this suite", () => {
  it("every route, header, input and result row was named in some answer's x-contract-rule above", () => {
    const named = new Set(emulators.flatMap((e) => e.requests.flatMap((r) => r.rule.split("; ").map((token) => token.split(" ")[0] ?? ""))));
    const rows = [...ROUTE_ROWS, ...HEADER_ROWS, ...INPUT_ROWS, ...RESULT_ROWS].map((r) => r.id);
    expect(rows.filter((id) => !named.has(id))).toEqual([]);
  });
});
