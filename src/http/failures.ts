import type * as undici from "undici";
import { HttpError, NetworkError, TimeoutError, abortError, type GlanceError } from "../errors";
import { answerHint, connectionHint } from "./failure-hints";
import { parseRetryAfter } from "./retry";
import { extractServerMessage } from "./server-message";

/** What a failure report needs to know of the request. */
export interface FailedRequest {
  readonly method: string;
  readonly signal?: AbortSignal;
  /** What the request is for, prefixed to error messages ("create image"). */
  readonly context?: string;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const ERROR_BODY_LIMIT = 64 * 1024;

/** The first value of a response header, if any. */
export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Turns undici's failure to send or receive into a `TimeoutError` naming the timeout that fired, or a
 * `NetworkError`; an aborted request rejects with the abort reason.
 */
export function networkFailure(spec: FailedRequest, url: URL, cause: unknown, started: number): GlanceError {
  if (spec.signal?.aborted === true) return abortError(spec.signal);
  const code = (cause as { code?: unknown }).code;
  const elapsed = Date.now() - started;
  const where = `${spec.method} ${url.origin}${url.pathname}`;
  if (code === "UND_ERR_CONNECT_TIMEOUT") return new TimeoutError("connectTimeout", elapsed, undefined, undefined, where);
  if (code === "UND_ERR_HEADERS_TIMEOUT") return new TimeoutError("headersTimeout", elapsed, undefined, undefined, where);
  if (code === "UND_ERR_BODY_TIMEOUT") return new TimeoutError("idleTimeout", elapsed, undefined, undefined, where);
  return new NetworkError(spec.method, url.toString(), cause, connectionHint(cause, url));
}

/** Reads (at most 64 KiB of) an unexpected answer into an `HttpError` with the server's message and request id. */
export async function httpFailure(spec: FailedRequest, url: URL, res: undici.Dispatcher.ResponseData): Promise<HttpError> {
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
  const hint = answerHint(res.statusCode, header(res.headers, "www-authenticate"));
  return new HttpError(
    {
      status: res.statusCode,
      method: spec.method,
      url: url.toString(),
      ...(serverMessage === undefined && hint === undefined ? {} : { serverMessage: [serverMessage, hint].filter((part) => part !== undefined).join(": ") }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    },
    spec.context === undefined ? undefined : { context: spec.context },
  );
}
