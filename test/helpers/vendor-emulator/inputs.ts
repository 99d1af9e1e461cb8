import { inputsOf, type InputRow, type OperationName, type Profile } from "../../../src/dialects/vendor-htaiyun/contract";

/** A refusal: the envelope status, a message, and the contract rule it follows. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly rule: string;
}

export type Value = string | readonly string[];
export type Params = Map<string, Value>;

/**
 * The inputs of one request as the contract's assumptions read them: the query string for GET, the body
 * for POST (form or JSON per `bodyEncoding`; arrays per `arrayEncoding`). A body in the other encoding is
 * a 400 naming the assumption.
 */
export function readParams(op: OperationName, method: string, query: URLSearchParams, contentType: string, body: string, profile: Profile): Params | Refusal {
  const params: Params = new Map();
  if (method === "GET") {
    for (const key of new Set(query.keys())) params.set(key, query.get(key) ?? "");
    return params;
  }
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (profile.bodyEncoding === "json") {
    if (type !== "application/json") return { status: 400, message: `expected application/json, got ${type || "no content type"}`, rule: "bodyEncoding=json" };
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { status: 400, message: "the body is not JSON", rule: "bodyEncoding=json" };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { status: 400, message: "the body is not a JSON object", rule: "bodyEncoding=json" };
    for (const [key, value] of Object.entries(parsed)) {
      if (Array.isArray(value)) params.set(key, value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))));
      else params.set(key, typeof value === "string" ? value : JSON.stringify(value));
    }
    return params;
  }
  if (type !== "application/x-www-form-urlencoded") return { status: 400, message: `expected a form, got ${type || "no content type"}`, rule: "bodyEncoding=form" };
  const form = new URLSearchParams(body);
  const arrays = new Set(inputsOf(op).filter((r) => r.type === "String[]").map((r) => r.name));
  for (const raw of new Set(form.keys())) {
    const key = raw.endsWith("[]") ? raw.slice(0, -2) : raw;
    if (!arrays.has(key)) {
      params.set(raw, form.get(raw) ?? "");
      continue;
    }
    if (profile.arrayEncoding === "brackets" && raw !== `${key}[]`) return { status: 400, message: `${key} must be sent as ${key}[]`, rule: "arrayEncoding=brackets" };
    if (profile.arrayEncoding !== "brackets" && raw !== key) return { status: 400, message: `${raw} is not a parameter`, rule: `arrayEncoding=${profile.arrayEncoding}` };
    const all = form.getAll(raw);
    if (profile.arrayEncoding === "comma") {
      if (all.length > 1) return { status: 400, message: `${key} is one comma-separated value`, rule: "arrayEncoding=comma" };
      params.set(key, (all[0] ?? "") === "" ? [] : (all[0] ?? "").split(","));
    } else {
      params.set(key, all.filter((v) => v !== ""));
    }
  }
  return params;
}

const INTEGER = /^-?\d+$/;

/** Checks every input row of `op` (required, type, enumeration) and the imageId/unknown-input assumptions. */
export function validate(op: OperationName, params: Params, pathId: string | undefined, profile: Profile): Refusal | undefined {
  const rows = inputsOf(op);
  for (const row of rows) {
    if (row.name === "imageId") {
      const refusal = checkImageId(row, params.get("imageId"), pathId, profile);
      if (refusal !== undefined) return refusal;
      continue;
    }
    const value = params.get(row.name);
    if (value === undefined) {
      if (row.required) return { status: 400, message: `${row.name} is required`, rule: row.id };
      continue;
    }
    const refusal = checkValue(row, value, profile);
    if (refusal !== undefined) return refusal;
  }
  if (profile.unknownInputs === "reject") {
    const known = new Set(rows.map((r) => r.name));
    const unknown = [...params.keys()].find((k) => !known.has(k));
    if (unknown !== undefined) return { status: 400, message: `unknown parameter ${unknown}`, rule: "unknownInputs=reject" };
  }
  return undefined;
}

function checkImageId(row: InputRow, param: Value | undefined, pathId: string | undefined, profile: Profile): Refusal | undefined {
  if (profile.imageIdLocation === "path") return pathId === undefined || pathId === "" ? { status: 400, message: "imageId is required", rule: row.id } : undefined;
  if (param === undefined) return { status: 400, message: "imageId is required", rule: `${row.id}; imageIdLocation=both` };
  if (param !== pathId) return { status: 400, message: "imageId does not match the path", rule: `${row.id}; imageIdLocation=both` };
  return undefined;
}

function checkValue(row: InputRow, value: Value, profile: Profile): Refusal | undefined {
  const bad = (why: string, rule = row.id): Refusal => ({ status: 400, message: `${row.name} ${why}`, rule });
  if (row.type === "String[]") {
    if (!Array.isArray(value)) return bad("must be a list");
    if (row.name === "applicationNames" && value.length === 0 && profile.applicationNamesEmpty === "non-empty") return bad("must name an application", `${row.id}; applicationNamesEmpty=non-empty`);
    return undefined;
  }
  if (typeof value !== "string") return bad("must be one value");
  if ((row.type === "Integer" || row.type === "Long") && !INTEGER.test(value)) return bad("must be an integer");
  if (row.type === "Boolean" && value !== "true" && value !== "false") return bad("must be true or false");
  if (row.required && value === "") return bad("is required");
  if (row.values !== undefined) {
    const anyCase = row.assumes?.includes("formatInputCase") === true && profile.formatInputCase === "any";
    const found = row.values.some((v) => (anyCase ? v.toLowerCase() === value.toLowerCase() : v === value));
    if (!found) return bad(`must be one of ${row.values.join(", ")}`, row.assumes?.includes("formatInputCase") === true ? `${row.id}; formatInputCase=${profile.formatInputCase}` : row.id);
  }
  return undefined;
}

export function one(params: Params, name: string): string | undefined {
  const v = params.get(name);
  return typeof v === "string" ? v : undefined;
}

export function many(params: Params, name: string): readonly string[] | undefined {
  const v = params.get(name);
  return Array.isArray(v) ? (v as readonly string[]) : undefined;
}
