/**
 * A scripted fault-injecting HTTP proxy for the fault-tolerance suites. It listens on 127.0.0.1 only,
 * forwards every request to one upstream (the real Glance) with streamed bodies over keep-alive
 * connections, and lets a test script per request what goes wrong: rules match on method and path,
 * each fires a fixed number of times, first match wins:
 *
 *   proxy.when("PUT", /\/file$/).resetAfterBytes(1 << 20)   // cut the upload after 1 MiB
 *   proxy.when("GET", IMAGE_PATH).status(503, 3)            // three 503s without forwarding
 *   proxy.when("PUT", /\/file$/).status(503, 2, { "retry-after": "1" })
 *   proxy.when("GET", IMAGE_PATH).stall(5000, 1, "body")    // headers now, body 5 s later
 *   proxy.when("POST", /^\/v2\/images$/).dropResponse()     // Glance acts, the answer is lost
 *   proxy.when("PUT", /\/file$/).throttle(4 << 20)          // 4 MiB/s upload
 *
 * Every request is recorded (method, path, the fault applied, the outcome, bytes each way) and
 * connections are counted. While Glance refuses connections (killed, restarting) requests are answered
 * 502, as a load balancer in front of it would. It closes itself after `lifetimeMs` at the latest.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What a rule does to a request. */
export type Fault =
  | { readonly kind: "resetAfterBytes"; readonly bytes: number }
  | { readonly kind: "status"; readonly code: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: "stall"; readonly ms: number; readonly phase: StallPhase }
  | { readonly kind: "dropResponse" }
  | { readonly kind: "throttle"; readonly bytesPerSecond: number };

/**
 * Where a stall holds the exchange: `request` stops reading the request body for `ms` (from its
 * start), `headers` holds Glance's answer back entirely, `body` sends the answer's headers at once
 * and its body `ms` later.
 */
export type StallPhase = "request" | "headers" | "body";

/** A scripted rule; `remaining` counts down as it fires, `fired` counts up. */
export interface Rule {
  readonly method: string;
  readonly path: RegExp;
  readonly fault: Fault;
  remaining: number;
  fired: number;
}

/** How one request ended, as the proxy saw it. */
export type Outcome =
  | "pending"
  | "forwarded" // answered with Glance's own answer
  | "status" // answered by a status rule, not forwarded
  | "reset" // connection cut by resetAfterBytes
  | "dropped" // Glance answered, the client got nothing (dropResponse)
  | "bad-gateway" // Glance refused the connection (down, restarting): answered 502, as a load balancer does
  | "upstream-error" // Glance broke the exchange (or could not be reached otherwise): client connection cut
  | "client-closed"; // the client went away before the exchange finished

/** One request through the proxy. */
export interface ProxyRecord {
  readonly method: string;
  readonly path: string;
  readonly fault: Fault["kind"] | undefined;
  outcome: Outcome;
  /** The status the client received, if any. */
  status: number | undefined;
  /** Request-body bytes received from the client. */
  requestBytes: number;
  /** Response-body bytes sent to the client. */
  responseBytes: number;
  readonly startedAt: number;
  endedAt: number | undefined;
  /** The upstream error, for `upstream-error`. */
  error: string | undefined;
}

/** Scripts faults for requests matching one method and path. */
export interface RuleBuilder {
  /** Forward the request body until `bytes` passed, then cut the client's connection and the upstream request. */
  resetAfterBytes(bytes: number, times?: number): Rule;
  /** Answer `code` (with `headers`, e.g. Retry-After) without forwarding; the request body is read and discarded. */
  status(code: number, times?: number, headers?: Readonly<Record<string, string>>): Rule;
  /** Forward, but hold the exchange for `ms` (see {@link StallPhase}; default `headers`). */
  stall(ms: number, times?: number, phase?: StallPhase): Rule;
  /** Forward the whole request, let Glance act and answer, then cut the client's connection without answering. */
  dropResponse(times?: number): Rule;
  /** Forward, reading the request body at no more than `bytesPerSecond`. */
  throttle(bytesPerSecond: number, times?: number): Rule;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: point OS_IMAGE_URL or a client's endpoint here. */
  readonly url: string;
  /** Every request so far, in arrival order. */
  readonly records: readonly ProxyRecord[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Headers added to every forwarded request (e.g. a noauth Glance's `X-Roles`); replaced wholesale. */
  injectHeaders: Readonly<Record<string, string>>;
  /** Scripts a fault for requests with this method (`*` for any) whose path (query included) matches. */
  when(method: string, path: RegExp): RuleBuilder;
  /** The records matching a method and path. */
  requests(method: string, path: RegExp): ProxyRecord[];
  /** Rules that have not fired as often as scripted. */
  pending(): Rule[];
  /** Drops every rule and record (connections keep counting). */
  reset(): void;
  /** Waits until `predicate` holds for the records, or fails after `timeoutMs`. */
  waitFor(predicate: (records: readonly ProxyRecord[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

/** The path of one image record (`/v2/images/{uuid}`), for rules. */
export const IMAGE_PATH = /^\/v2\/images\/[0-9a-f-]{36}$/;
/** The path of an image's data (`/v2/images/{uuid}/file`). */
export const FILE_PATH = /^\/v2\/images\/[0-9a-f-]{36}\/file$/;
/** The images collection (`POST /v2/images`). */
export const IMAGES_PATH = /^\/v2\/images$/;

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "host"]);

/**
 * Starts a proxy in front of `upstream` (an `http://host:port` URL). `keepAliveSeconds` is how long the
 * proxy keeps idle client connections open (and tells clients so); default Node's 5 s.
 */
export async function startFaultProxy(upstream: string, options: { lifetimeMs?: number; keepAliveSeconds?: number } = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  if (target.protocol !== "http:") throw new Error(`fault proxy: only http upstreams are supported, got ${upstream}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const rules: Rule[] = [];
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  let closed = false;
  let injected: Readonly<Record<string, string>> = {};

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const take = (method: string, path: string): Rule | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && (r.method === "*" || r.method === method) && r.path.test(path));
    if (rule !== undefined) {
      rule.remaining -= 1;
      rule.fired += 1;
    }
    return rule;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const rule = take(method, path.replace(/\?.*$/, ""));
    const fault = rule?.fault;
    const record: ProxyRecord = {
      method,
      path,
      fault: fault?.kind,
      outcome: "pending",
      status: undefined,
      requestBytes: 0,
      responseBytes: 0,
      startedAt: Date.now(),
      endedAt: undefined,
      error: undefined,
    };
    records.push(record);
    const finish = (outcome: Outcome): void => {
      if (record.outcome !== "pending") return;
      record.outcome = outcome;
      record.endedAt = Date.now();
    };
    const cutClient = (outcome: Outcome): void => {
      finish(outcome);
      req.socket.destroy();
    };

    if (fault?.kind === "status") {
      req.on("data", (chunk: Buffer) => (record.requestBytes += chunk.length));
      const body = JSON.stringify({ message: `fault proxy: scripted ${fault.code}`, code: `${fault.code}`, title: "Fault proxy" });
      record.status = fault.code;
      res.writeHead(fault.code, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...fault.headers });
      res.end(body, () => finish("status"));
      return;
    }

    const headers: OutgoingHttpHeaders = { host: target.host };
    for (const [key, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(key) && value !== undefined) headers[key] = value;
    for (const [key, value] of Object.entries(injected)) headers[key.toLowerCase()] = value;
    const upReq = httpRequest({ host: target.hostname, port: target.port, method, path, headers, agent });

    // The client went away: the upstream exchange goes too (as it would with a direct connection).
    res.on("close", () => {
      if (!res.writableFinished) {
        finish("client-closed");
        upReq.destroy();
      }
    });
    upReq.on("error", (error) => {
      record.error = error.message;
      if (record.outcome !== "pending") return;
      // Nothing listens on Glance's port (killed, restarting): a load balancer answers 502 then, and the
      // client sees a server that is unavailable, not a connection cut mid-exchange.
      if ((error as NodeJS.ErrnoException).code === "ECONNREFUSED" && !res.headersSent) return badGateway();
      cutClient("upstream-error");
    });
    const badGateway = (): void => {
      finish("bad-gateway");
      record.status = 502;
      const body = JSON.stringify({ message: "fault proxy: Glance refused the connection", code: "502", title: "Bad Gateway" });
      // The rest of the request body is read and dropped (the data handler forwards only while pending).
      req.resume();
      res.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };

    // ---- request body: forwarded with backpressure, optionally stalled, throttled or cut
    let paused = 0; // reasons the client stream is paused
    const pause = (): void => {
      paused += 1;
      req.pause();
    };
    const resume = (): void => {
      paused -= 1;
      if (paused === 0 && !req.destroyed) req.resume();
    };
    if (fault?.kind === "stall" && fault.phase === "request") {
      pause();
      later(fault.ms, resume);
    }
    req.on("data", (chunk: Buffer) => {
      if (record.outcome !== "pending") return;
      if (fault?.kind === "resetAfterBytes" && record.requestBytes + chunk.length >= fault.bytes) {
        const keep = fault.bytes - record.requestBytes;
        record.requestBytes += keep;
        if (keep > 0) upReq.write(chunk.subarray(0, keep));
        // Cut both sides: the client sees a reset, Glance an upload that stopped short.
        cutClient("reset");
        upReq.destroy();
        return;
      }
      record.requestBytes += chunk.length;
      if (!upReq.write(chunk)) {
        pause();
        upReq.once("drain", resume);
      }
      if (fault?.kind === "throttle") {
        pause();
        later(Math.ceil((chunk.length / fault.bytesPerSecond) * 1000), resume);
      }
    });
    req.on("end", () => {
      if (record.outcome === "pending") upReq.end();
    });

    // ---- response
    upReq.on("response", (upRes) => {
      upRes.on("error", (error) => {
        record.error = error.message;
        if (record.outcome === "pending") cutClient("upstream-error");
      });
      if (fault?.kind === "dropResponse") {
        upRes.resume();
        upRes.on("end", () => cutClient("dropped"));
        return;
      }
      const outHeaders: OutgoingHttpHeaders = {};
      for (const [key, value] of Object.entries(upRes.headers)) if (!HOP_BY_HOP.has(key) && value !== undefined) outHeaders[key] = value;
      const status = upRes.statusCode ?? 502;
      const sendHeaders = (): void => {
        if (record.outcome !== "pending") return;
        record.status = status;
        res.writeHead(status, outHeaders);
        res.flushHeaders();
      };
      const sendBody = (): void => {
        if (record.outcome !== "pending") {
          upRes.destroy();
          return;
        }
        upRes.on("data", (chunk: Buffer) => (record.responseBytes += chunk.length));
        upRes.on("end", () => res.end(() => finish("forwarded")));
        upRes.pipe(res, { end: false });
      };
      if (fault?.kind === "stall" && fault.phase === "headers") {
        upRes.pause();
        later(fault.ms, () => {
          sendHeaders();
          sendBody();
        });
      } else if (fault?.kind === "stall" && fault.phase === "body") {
        upRes.pause();
        sendHeaders();
        later(fault.ms, sendBody);
      } else {
        sendHeaders();
        sendBody();
      }
    });
  };

  const server: Server = createServer({ keepAlive: true }, handle);
  // Node announces this as `Keep-Alive: timeout=N`, which undici clients follow: a test that counts
  // connections sets it long, so idle connections are not closed by the clock while it runs.
  if (options.keepAliveSeconds !== undefined) server.keepAliveTimeout = options.keepAliveSeconds * 1000;
  server.on("connection", (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(lifetime);
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const socket of sockets) socket.destroy();
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  // Bounded: never outlives a forgotten close().
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 15 * 60_000);
  lifetime.unref();

  const add = (method: string, path: RegExp, fault: Fault, times: number): Rule => {
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault proxy: times must be a positive integer, got ${times}`);
    const rule: Rule = { method: method.toUpperCase(), path, fault, remaining: times, fired: 0 };
    rules.push(rule);
    return rule;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    records,
    get connections() {
      return connections;
    },
    get injectHeaders() {
      return injected;
    },
    set injectHeaders(value) {
      injected = { ...value };
    },
    when(method, path) {
      return {
        resetAfterBytes: (bytes, times = 1) => add(method, path, { kind: "resetAfterBytes", bytes }, times),
        status: (code, times = 1, headers = {}) => add(method, path, { kind: "status", code, headers }, times),
        stall: (ms, times = 1, phase = "headers") => add(method, path, { kind: "stall", ms, phase }, times),
        dropResponse: (times = 1) => add(method, path, { kind: "dropResponse" }, times),
        throttle: (bytesPerSecond, times = 1) => add(method, path, { kind: "throttle", bytesPerSecond }, times),
      };
    },
    requests(method, path) {
      return records.filter((r) => (method === "*" || r.method === method.toUpperCase()) && path.test(r.path.replace(/\?.*$/, "")));
    },
    pending() {
      return rules.filter((r) => r.remaining > 0);
    },
    reset() {
      rules.length = 0;
      records.length = 0;
    },
    async waitFor(predicate, timeoutMs = 30_000, what = "proxy condition") {
      const started = Date.now();
      while (!predicate(records)) {
        if (Date.now() - started > timeoutMs) throw new Error(`fault proxy: timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close,
  };
}
