import type { Readable } from "node:stream";
import * as undici from "undici";
import { BodyFormatError } from "../errors";
import { sharedAgent, type TrafficKind } from "./agent-pool";
import { header, httpFailure, networkFailure } from "./failures";
import type { HttpMethod } from "./method";
import { idempotentRequest } from "./call-policies";
import { DEFAULT_RETRY, isRetryableRequest, retrying, type RetryPolicy } from "./retry";

export { header };

export type { HttpMethod };

/** Query parameters; arrays repeat the key (`tag=a&tag=b`), `undefined` values are left out. */
export type Query = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** Supplies the `X-Auth-Token` for each request, and is told when the server refused it. */
export interface TokenSource {
  /** The token to send; `undefined` sends none (noauth deployments). */
  token(signal?: AbortSignal): Promise<string | undefined>;
  /** Forget a token the server answered 401 to; the next `token()` authenticates again. */
  invalidate(rejected: string): void;
}

/** Timeouts of one transport, in milliseconds. */
export interface TransportTimeouts {
  /** TCP+TLS connect. Default 30 000. */
  readonly connectMs?: number;
  /** Time to the response headers once the request is sent. Default 300 000 (Glance hashes before answering an upload). */
  readonly headersMs?: number;
  /** Longest silence while a body flows either way. Default 300 000. */
  readonly idleMs?: number;
}

/** Settings of a {@link Transport}. */
export interface TransportOptions {
  /** Base URL every path is resolved against (its path prefix is kept). */
  readonly baseUrl: string;
  readonly tokens?: TokenSource;
  readonly timeouts?: TransportTimeouts;
  /** PEM bundle of trusted CAs for TLS. */
  readonly ca?: string | Buffer;
  /** Skip TLS verification. Only for labs: says so in the name. */
  readonly insecure?: boolean;
  /** PEM client certificate and private key (mutual TLS: OS_CERT/OS_KEY, clouds.yaml cert/key). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly userAgent?: string;
  /** Retries of idempotent requests; `{ retries: 0, budgetMs: 0 }` turns them off. Default {@link DEFAULT_RETRY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** A dispatcher to use instead of the process's shared keep-alive agent (tests use undici's MockAgent). */
  readonly dispatcher?: undici.Dispatcher;
  /** Headers added to every request (a request's own headers win), e.g. `X-Project-Id` for a noauth test Glance. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** One request. */
export interface RequestSpec {
  readonly method: HttpMethod;
  /** Absolute path below the base URL (`/v2/images`), or an absolute URL of the same server. */
  readonly path: string;
  readonly query?: Query;
  /** A JSON body; sets `Content-Type: application/json` unless `contentType` says otherwise. */
  readonly json?: unknown;
  /**
   * A raw body. A stream or iterable cannot be replayed: such requests are never repeated. An iterable's
   * next chunk is asked for only once the last one was written (see `readFileChunks`).
   */
  readonly body?: string | Buffer | Readable | AsyncIterable<Uint8Array>;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The statuses that mean success; anything else becomes an `HttpError`. */
  readonly expect: readonly number[];
  readonly signal?: AbortSignal;
  /** What the request is for, prefixed to error messages ("create image"). */
  readonly context?: string;
  /** The request moves image data (upload, download): it goes on a data connection, never queued behind API calls. */
  readonly transfer?: boolean;
  /**
   * `false`: the transport never repeats this request, although its method would allow it (a PUT that
   * starts something on the server, as Glance v1's copy-from): the caller checks what the server did
   * before it sends it again. Default: repeated when the method is idempotent and the body replayable.
   */
  readonly idempotent?: false;
}

/** A response whose body has been read as JSON (or is `undefined` when empty). */
export interface JsonResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: T;
}

/** A response whose body is still a stream: the caller must consume or destroy it. */
export interface StreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Readable;
}

const DEFAULT_TIMEOUTS = { connectMs: 30_000, headersMs: 300_000, idleMs: 300_000 } as const;

/**
 * A small HTTP layer over undici: keep-alive connections shared across instances ({@link sharedAgent}), `Accept: application/json`,
 * token injection with one re-authentication on 401, and every non-success status turned into an
 * `HttpError` carrying Glance's message and request id. Close it when done.
 */
export class Transport {
  readonly baseUrl: URL;
  private readonly dispatchers: Readonly<Record<TrafficKind, undici.Dispatcher>>;
  private readonly options: TransportOptions;
  private readonly timeouts: Required<TransportTimeouts>;

  constructor(options: TransportOptions) {
    this.options = options;
    this.baseUrl = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
    const settings = { ...this.timeouts, ...(options.ca === undefined ? {} : { ca: options.ca }), ...(options.insecure === true ? { insecure: true } : {}), ...(options.cert === undefined ? {} : { cert: options.cert }), ...(options.key === undefined ? {} : { key: options.key }) };
    this.dispatchers =
      options.dispatcher === undefined
        ? { api: sharedAgent(settings, "api"), data: sharedAgent(settings, "data") }
        : { api: options.dispatcher, data: options.dispatcher };
  }

  /** Resolves a path (with its query) against the base URL. */
  url(path: string, query?: Query): URL {
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(path.replace(/^\//, ""), this.baseUrl);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value as readonly string[]) url.searchParams.append(key, item);
      else url.searchParams.append(key, String(value));
    }
    return url;
  }

  /** Sends a request and parses a JSON answer. */
  async json<T>(spec: RequestSpec): Promise<JsonResponse<T>> {
    const res = await this.send(spec);
    const bodyStarted = Date.now();
    let text: string;
    try {
      text = await res.body.text();
    } catch (cause) {
      // A stalled or broken answer body is a timeout or network failure like any other, not undici's raw error.
      throw networkFailure(spec, this.url(spec.path, spec.query), cause, bodyStarted);
    }
    return { status: res.statusCode, headers: res.headers, body: parseJson<T>(spec, this.url(spec.path, spec.query), res, text) };
  }

  /** Sends a request and discards the answer's body. */
  async empty(spec: RequestSpec): Promise<{ status: number; headers: JsonResponse<unknown>["headers"] }> {
    const res = await this.send(spec);
    await res.body.dump();
    return { status: res.statusCode, headers: res.headers };
  }

  /** Sends a request and hands over the answer's body as a stream. */
  async stream(spec: RequestSpec): Promise<StreamResponse> {
    const res = await this.send(spec);
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  /**
   * Ends this transport's use of its connections. They are shared by the process ({@link sharedAgent})
   * and stay open for the next call (idle ones close after 4 s and never keep the process alive), so
   * there is nothing to wait for.
   */
  async close(): Promise<void> {
    // Shared connections outlive a transport; an injected dispatcher belongs to whoever passed it.
  }

  /** Sends with retries: idempotent requests with a replayable body are repeated on transient failures. */
  private async send(spec: RequestSpec): Promise<undici.Dispatcher.ResponseData> {
    const policy = { ...DEFAULT_RETRY, ...definedOnly(this.options.retry ?? {}) };
    const replayable = spec.body === undefined || typeof spec.body === "string" || Buffer.isBuffer(spec.body);
    if (spec.idempotent === false || !isRetryableRequest(spec.method, replayable)) return this.attempt(spec);
    const url = this.url(spec.path, spec.query);
    return retrying(idempotentRequest(policy), () => this.attempt(spec), { signal: spec.signal, what: `${spec.method} ${url.origin}${url.pathname}` });
  }

  private async attempt(spec: RequestSpec, retriedAuth = false): Promise<undici.Dispatcher.ResponseData> {
    const url = this.url(spec.path, spec.query);
    const headers: Record<string, string> = {
      accept: "application/json",
      ...lowerKeys(this.options.headers ?? {}),
      ...lowerKeys(spec.headers ?? {}),
    };
    if (this.options.userAgent !== undefined) headers["user-agent"] = this.options.userAgent;
    let body: RequestSpec["body"] = spec.body;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers["content-type"] = spec.contentType ?? "application/json";
    } else if (spec.contentType !== undefined) {
      headers["content-type"] = spec.contentType;
    }
    const token = await this.options.tokens?.token(spec.signal);
    if (token !== undefined) headers["x-auth-token"] = token;

    const started = Date.now();
    let res: undici.Dispatcher.ResponseData;
    try {
      res = await undici.request(url, {
        method: spec.method,
        headers,
        // undici takes (async) iterables (core/request.js: "a Readable stream, an iterable, or an async
        // iterable"); its request() typings list only the other kinds.
        body: (body ?? null) as NonNullable<undici.Dispatcher.RequestOptions["body"]> | null,
        dispatcher: this.dispatchers[spec.transfer === true ? "data" : "api"],
        signal: spec.signal ?? null,
      });
    } catch (cause) {
      throw networkFailure(spec, url, cause, started);
    }
    if (spec.expect.includes(res.statusCode)) return res;

    const replayable = body === undefined || typeof body === "string" || Buffer.isBuffer(body);
    if (res.statusCode === 401 && token !== undefined && this.options.tokens !== undefined && !retriedAuth) {
      // The next request authenticates again; a streamed body cannot be replayed here, so its caller
      // (the upload retry) re-opens the source and sends it again with the new token.
      this.options.tokens.invalidate(token);
      if (replayable) {
        await res.body.dump();
        return this.attempt(spec, true);
      }
    }
    throw await httpFailure(spec, url, res);
  }
}

/** An empty body is `undefined`; any other body must be JSON, else a {@link BodyFormatError} with the status and a snippet. */
function parseJson<T>(spec: RequestSpec, url: URL, res: undici.Dispatcher.ResponseData, text: string): T {
  if (text.trim() === "") return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (cause) {
    const requestId = header(res.headers, "x-openstack-request-id");
    const details = { status: res.statusCode, method: spec.method, url: url.toString(), ...(requestId === undefined ? {} : { requestId }) };
    throw new BodyFormatError(details, text, { cause, ...(spec.context === undefined ? {} : { context: spec.context }) });
  }
}

function lowerKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
