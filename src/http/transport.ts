import type { Readable } from "node:stream";
import * as undici from "undici";
import { HttpError, NetworkError, TimeoutError } from "../errors";
import { DEFAULT_RETRY, isRetryableFailure, isRetryableRequest, parseRetryAfter, retryDelay, sleep, type RetryPolicy } from "./retry";
import { extractServerMessage } from "./server-message";

/** HTTP methods the clients use. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

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
  readonly userAgent?: string;
  /** Retries of idempotent requests; `{ retries: 0 }` turns them off. Default {@link DEFAULT_RETRY}. */
  readonly retry?: Partial<RetryPolicy>;
  /** A dispatcher to use instead of a private keep-alive agent (tests use undici's MockAgent). */
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
  /** A raw body. A stream cannot be replayed: such requests are never repeated after a 401. */
  readonly body?: string | Buffer | Readable;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The statuses that mean success; anything else becomes an {@link HttpError}. */
  readonly expect: readonly number[];
  readonly signal?: AbortSignal;
  /** What the request is for, prefixed to error messages ("create image"). */
  readonly context?: string;
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
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * A small HTTP layer over undici: one keep-alive agent per instance, `Accept: application/json`,
 * token injection with one re-authentication on 401, and every non-success status turned into an
 * {@link HttpError} carrying Glance's message and request id. Close it when done.
 */
export class Transport {
  readonly baseUrl: URL;
  private readonly dispatcher: undici.Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly options: TransportOptions;
  private readonly timeouts: Required<TransportTimeouts>;

  constructor(options: TransportOptions) {
    this.options = options;
    this.baseUrl = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...definedOnly(options.timeouts ?? {}) };
    if (options.dispatcher !== undefined) {
      this.dispatcher = options.dispatcher;
      this.ownsDispatcher = false;
    } else {
      const connect: undici.buildConnector.BuildOptions = { timeout: this.timeouts.connectMs };
      if (options.ca !== undefined) connect.ca = options.ca;
      if (options.insecure === true) connect.rejectUnauthorized = false;
      this.dispatcher = new undici.Agent({
        connect,
        headersTimeout: this.timeouts.headersMs,
        bodyTimeout: this.timeouts.idleMs,
        keepAliveTimeout: 30_000,
      });
      this.ownsDispatcher = true;
    }
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
      throw this.networkError(spec, this.url(spec.path, spec.query), cause, bodyStarted);
    }
    const contentType = header(res.headers, "content-type");
    const body = text.trim() !== "" && (contentType?.includes("json") ?? true) ? (JSON.parse(text) as T) : (undefined as T);
    return { status: res.statusCode, headers: res.headers, body };
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

  /** Closes the keep-alive connections (only those of a private agent). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Sends with retries: idempotent requests with a replayable body are repeated on transient failures. */
  private async send(spec: RequestSpec): Promise<undici.Dispatcher.ResponseData> {
    const policy = { ...DEFAULT_RETRY, ...definedOnly(this.options.retry ?? {}) };
    const replayable = spec.body === undefined || typeof spec.body === "string" || Buffer.isBuffer(spec.body);
    const retryable = isRetryableRequest(spec.method, replayable);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.attempt(spec);
      } catch (error) {
        if (!retryable || attempt >= policy.retries || !isRetryableFailure(error, policy) || spec.signal?.aborted === true) throw error;
        await sleep(retryDelay(attempt, error, policy), spec.signal);
      }
    }
  }

  private async attempt(spec: RequestSpec, retriedAuth = false): Promise<undici.Dispatcher.ResponseData> {
    const url = this.url(spec.path, spec.query);
    const headers: Record<string, string> = {
      accept: "application/json",
      ...lowerKeys(this.options.headers ?? {}),
      ...lowerKeys(spec.headers ?? {}),
    };
    if (this.options.userAgent !== undefined) headers["user-agent"] = this.options.userAgent;
    let body: string | Buffer | Readable | undefined = spec.body;
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
        body: body ?? null,
        dispatcher: this.dispatcher,
        signal: spec.signal ?? null,
      });
    } catch (cause) {
      throw this.networkError(spec, url, cause, started);
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
    throw await this.httpError(spec, url, res);
  }

  private networkError(spec: RequestSpec, url: URL, cause: unknown, started: number): Error {
    if (spec.signal?.aborted === true) return spec.signal.reason instanceof Error ? spec.signal.reason : new Error("aborted", { cause });
    const code = (cause as { code?: unknown }).code;
    const elapsed = Date.now() - started;
    const where = `${spec.method} ${url.origin}${url.pathname}`;
    if (code === "UND_ERR_CONNECT_TIMEOUT") return new TimeoutError("connectTimeout", elapsed, undefined, undefined, where);
    if (code === "UND_ERR_HEADERS_TIMEOUT") return new TimeoutError("headersTimeout", elapsed, undefined, undefined, where);
    if (code === "UND_ERR_BODY_TIMEOUT") return new TimeoutError("idleTimeout", elapsed, undefined, undefined, where);
    return new NetworkError(spec.method, url.toString(), cause);
  }

  private async httpError(spec: RequestSpec, url: URL, res: undici.Dispatcher.ResponseData): Promise<HttpError> {
    let text = "";
    try {
      for await (const chunk of res.body) {
        text += String(chunk);
        if (text.length > ERROR_BODY_LIMIT) {
          res.body.destroy();
          break;
        }
      }
    } catch {
      // The body of an error answer is only decoration; the status is what matters.
    }
    const serverMessage = extractServerMessage(text, header(res.headers, "content-type"));
    const requestId = header(res.headers, "x-openstack-request-id") ?? header(res.headers, "x-compute-request-id");
    const retryAfterMs = parseRetryAfter(header(res.headers, "retry-after"));
    return new HttpError(
      {
        status: res.statusCode,
        method: spec.method,
        url: url.toString(),
        ...(serverMessage === undefined ? {} : { serverMessage }),
        ...(requestId === undefined ? {} : { requestId }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      },
      spec.context === undefined ? undefined : { context: spec.context },
    );
  }
}

/** The first value of a response header, if any. */
export function header(headers: JsonResponse<unknown>["headers"], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function lowerKeys(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

function definedOnly<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
