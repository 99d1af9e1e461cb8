import { headerNames, routeOf, type OperationName, type Profile } from "../../../src/dialects/vendor-htaiyun/contract";
import { EMULATOR_CREDENTIALS, type VendorEmulator } from "./server";

/**
 * A raw call of one documented operation, encoded as the emulator's profile reads the seed (the conformance
 * suite's own encoder, independent of the dialect): the three headers, inputs in the query (GET) or body
 * (POST, form or JSON), arrays per `arrayEncoding`.
 */
export interface RawCall {
  readonly params?: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;
  readonly imageId?: string;
  /** Headers to leave out, or to send with another value. */
  readonly omitHeaders?: readonly string[];
  readonly headerValues?: Readonly<Record<string, string>>;
  readonly method?: string;
}

export interface RawAnswer {
  readonly http: number;
  readonly rule: string;
  readonly contentType: string;
  readonly body: { status: number; message: string; result?: unknown; links?: unknown };
}

const VALUES: Readonly<Record<string, string>> = {
  "HT-ACCESS-TOKEN": EMULATOR_CREDENTIALS.accessToken,
  "IMR-SESSION-TOKEN": EMULATOR_CREDENTIALS.sessionToken,
  "IMR-SESSION-SECRET": EMULATOR_CREDENTIALS.sessionSecret,
};

export async function rawCall(emulator: VendorEmulator, op: OperationName, call: RawCall = {}): Promise<RawAnswer> {
  const route = routeOf(op);
  const profile = emulator.profile;
  const path = route.path.replace("{imageId}", encodeURIComponent(call.imageId ?? ""));
  const headers: Record<string, string> = {};
  for (const name of headerNames(op)) if (!(call.omitHeaders ?? []).includes(name)) headers[name] = call.headerValues?.[name] ?? VALUES[name] ?? "";
  const params = Object.entries(call.params ?? {}).filter((e): e is [string, string | number | boolean | readonly string[]] => e[1] !== undefined);
  const url = new URL(path, emulator.url);
  let body: string | undefined;
  if (route.method === "GET") {
    for (const [k, v] of params) url.searchParams.set(k, String(v));
  } else if (profile.bodyEncoding === "json") {
    headers["content-type"] = "application/json";
    body = JSON.stringify(Object.fromEntries(params));
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = formBody(params, profile).toString();
  }
  const method = call.method ?? route.method;
  const res = await fetch(url, { method, headers, ...(body === undefined || method === "GET" ? {} : { body }) });
  const text = await res.text();
  return { http: res.status, rule: res.headers.get("x-contract-rule") ?? "", contentType: res.headers.get("content-type") ?? "", body: JSON.parse(text) as RawAnswer["body"] };
}

function formBody(params: readonly [string, string | number | boolean | readonly string[]][], profile: Profile): URLSearchParams {
  const form = new URLSearchParams();
  for (const [k, v] of params) {
    if (!Array.isArray(v)) form.append(k, String(v));
    else if (profile.arrayEncoding === "comma") form.append(k, (v as readonly string[]).join(","));
    else if (v.length === 0) form.append(profile.arrayEncoding === "brackets" ? `${k}[]` : k, "");
    else for (const item of v as readonly string[]) form.append(profile.arrayEncoding === "brackets" ? `${k}[]` : k, item);
  }
  return form;
}

/** The status a failure has, whichever way `errorSignal` carries it. */
export function failureStatus(answer: RawAnswer): number {
  return answer.http !== 200 ? answer.http : answer.body.status;
}
