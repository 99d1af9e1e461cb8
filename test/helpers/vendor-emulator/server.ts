import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ROUTE_ROWS, defaultProfile, headerNames, inputsOf, type OperationName, type Profile } from "../../../src/dialects/vendor-htaiyun/contract";
import { readParams, validate, type Params, type Refusal } from "./inputs";
import { handle } from "./operations";
import { Store, type StoredImage } from "./store";

/**
 * A test double of the vendor image API of seed 004, driven by the contract
 * (`src/dialects/vendor-htaiyun/contract`): it serves the five documented routes on 127.0.0.1, checks the
 * three headers and every input row, answers with the documented envelopes, and where the seed is silent
 * follows the reading `profile` names. Each answer names the rules it followed in `x-contract-rule`.
 * It is our reading of a document, not a recording of a server.
 */

/** The header values the emulator accepts (the operator's settings, per assumption `credentials`). */
export const EMULATOR_CREDENTIALS = { accessToken: "ht-app-token-0000", sessionToken: "imr-session-1111", sessionSecret: "imr-secret-2222" } as const;

const HEADER_VALUES: Readonly<Record<string, string>> = {
  "ht-access-token": EMULATOR_CREDENTIALS.accessToken,
  "imr-session-token": EMULATOR_CREDENTIALS.sessionToken,
  "imr-session-secret": EMULATOR_CREDENTIALS.sessionSecret,
};

/** A request as the emulator saw it. */
export interface SeenRequest {
  readonly op: OperationName | undefined;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  /** The rules the answer named in `x-contract-rule` (set when it was sent). */
  rule: string;
}

/** What a test may make the emulator do besides the contract: a failure on the way back. */
export type Fault = "drop-after" | "503-before";

export interface VendorEmulator {
  readonly url: string;
  readonly profile: Profile;
  readonly store: Store;
  readonly requests: SeenRequest[];
  /** Makes the next request of `op` fail this way (once). */
  fail(op: OperationName, fault: Fault): void;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  readonly profile?: Partial<Profile>;
  /** Called with each image the emulator creates, before it answers (a test makes it KILLED, say). */
  readonly afterCreate?: (image: StoredImage) => void;
}

interface Answer {
  readonly status: number;
  readonly message: string;
  readonly result?: unknown;
  readonly rules: readonly string[];
  /** Outside the envelope (no route, wrong method, an injected fault): the HTTP status is the status. */
  readonly transport?: boolean;
}

const ROUTES = ROUTE_ROWS.map((row) => ({ row, pattern: new RegExp(`^${row.path.replace("{imageId}", "([^/]+)")}$`) }));

export async function startVendorEmulator(options: EmulatorOptions = {}): Promise<VendorEmulator> {
  const profile: Profile = { ...defaultProfile(), ...options.profile };
  const store = new Store(profile);
  const requests: SeenRequest[] = [];
  const faults = new Map<OperationName, Fault>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const route = ROUTES.map((r) => ({ ...r, match: r.pattern.exec(url.pathname) })).find((r) => r.match !== null);
      const op = route?.row.op;
      const seen: SeenRequest = { op, method: req.method ?? "", path: url.pathname, query: url.search, headers: req.headers, body, rule: "" };
      requests.push(seen);
      const fault = op === undefined ? undefined : faults.get(op);
      if (op !== undefined) faults.delete(op);
      if (fault === "503-before") return void (seen.rule = send(res, profile, { status: 503, message: "unavailable (injected)", rules: ["fault=503-before"], transport: true }));
      const answer = answerFor(req, url, body, route, profile, store);
      if (op === "create" && answer.status === 200) {
        const created = store.images.get(String((answer.result as { unique: unknown }).unique));
        if (created !== undefined) options.afterCreate?.(created);
      }
      if (fault === "drop-after") {
        res.socket?.destroy();
        return;
      }
      seen.rule = send(res, profile, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    profile,
    store,
    requests,
    fail: (op, fault) => void faults.set(op, fault),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function answerFor(
  req: IncomingMessage,
  url: URL,
  body: string,
  route: { row: (typeof ROUTE_ROWS)[number]; match: RegExpExecArray | null } | undefined,
  profile: Profile,
  store: Store,
): Answer {
  if (route === undefined) return { status: 404, message: `no such route ${url.pathname}`, rules: ["no route in the seed"], transport: true };
  const { row } = route;
  if (req.method !== row.method) return { status: 405, message: `${row.path} is ${row.method}`, rules: [`${row.id} ${row.cite ?? ""}`], transport: true };
  const auth = checkHeaders(row.op, req, profile);
  if (auth !== undefined) return refused(auth);
  const params = readParams(row.op, row.method, url.searchParams, String(req.headers["content-type"] ?? ""), body, profile);
  if (params instanceof Map) {
    const pathId = route.match?.[1] === undefined ? undefined : decodeURIComponent(route.match[1]);
    const refusal = validate(row.op, params, pathId, profile);
    if (refusal !== undefined) return refused(refusal);
    const answer = handle(row.op, params as Params, pathId, profile, store);
    // the input rows this request used (imageId: the path carries it)
    const used = inputsOf(row.op).filter((r) => params.has(r.name) || (r.name === "imageId" && pathId !== undefined)).map((r) => r.id);
    return { ...answer, rules: [`${row.id} ${row.cite ?? ""}`, ...used, ...answer.rules] };
  }
  return refused(params);
}

function refused(r: Refusal): Answer {
  return { status: r.status, message: r.message, rules: [r.rule] };
}

/** The three headers of every operation (L9-11 …), each checked against the operator's value. */
function checkHeaders(op: OperationName, req: IncomingMessage, profile: Profile): Refusal | undefined {
  for (const name of headerNames(op)) {
    const value = req.headers[name.toLowerCase()];
    if (value !== HEADER_VALUES[name.toLowerCase()]) {
      return { status: Number(profile.authFailure), message: `${name} is ${value === undefined ? "missing" : "not accepted"}`, rule: `${op}.header.${name}; authFailure=${profile.authFailure}` };
    }
  }
  return undefined;
}

/** The envelope `{status, message, result?, links}`; the HTTP status per `errorSignal` (HTTP 200 under `envelope`). */
function send(res: ServerResponse, profile: Profile, answer: Answer): string {
  const transport = answer.transport === true;
  const envelope = { status: answer.status, message: answer.message, ...(answer.result === undefined ? {} : { result: answer.result }), links: [] };
  const failed = answer.status !== 200;
  const rules = [...answer.rules, ...(failed && !transport ? [`errorSignal=${profile.errorSignal}`] : []), `responseType=${profile.responseType}`];
  const httpStatus = transport || (failed && profile.errorSignal === "http") ? answer.status : 200;
  res.writeHead(httpStatus, {
    "content-type": profile.responseType === "json" ? "application/json;charset=UTF-8" : "text/plain;charset=UTF-8",
    "x-contract-rule": rules.join("; "),
  });
  res.end(JSON.stringify(envelope));
  return rules.join("; ");
}
