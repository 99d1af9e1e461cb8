import { redact, redactUrl } from "../redact";
import { describeCause, GlanceError } from "./base";

/** What is known of a failed HTTP exchange. */
export interface HttpErrorDetails {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  /** Glance's own message, with its HTML line breaks removed. */
  readonly serverMessage?: string;
  readonly requestId?: string;
  /** The server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number;
}

/** A non-success HTTP answer from Glance, Keystone or an image source. */
export class HttpError extends GlanceError {
  override name = "HttpError";
  readonly status: number;
  readonly method: string;
  /** The request URL, credentials removed. */
  readonly url: string;
  readonly serverMessage: string | undefined;
  /** `x-openstack-request-id`, to quote to the cloud's operators. */
  readonly requestId: string | undefined;
  /** The server's `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(details: HttpErrorDetails, options?: { cause?: unknown; context?: string }) {
    const url = redactUrl(details.url);
    const what = options?.context === undefined ? "" : `${options.context}: `;
    const server = details.serverMessage === undefined || details.serverMessage === "" ? "" : `: ${details.serverMessage}`;
    const rid = details.requestId === undefined ? "" : ` (request ${details.requestId})`;
    super(`${what}${details.method} ${url} answered ${details.status}${server}${rid}`, options);
    this.status = details.status;
    this.method = details.method;
    this.url = url;
    this.serverMessage = details.serverMessage === undefined ? undefined : redact(details.serverMessage);
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** True when `error` is an {@link HttpError} with one of the given statuses. */
export function isHttpStatus(error: unknown, ...statuses: number[]): error is HttpError {
  return error instanceof HttpError && statuses.includes(error.status);
}

/** True when `error` says the image (or the resource asked for) does not exist, whichever API answered. */
export function isNotFound(error: unknown): boolean {
  return isHttpStatus(error, 404);
}

/** A success status whose body is not the JSON the API promises (a proxy's HTML page, a wrong endpoint). */
export class BodyFormatError extends HttpError {
  override name = "BodyFormatError";
  constructor(details: Omit<HttpErrorDetails, "serverMessage">, body: string, options?: { cause?: unknown; context?: string }) {
    const snippet = body.replace(/\s+/g, " ").trim();
    super(
      { ...details, serverMessage: `the body is not JSON ("${snippet.length > 120 ? `${snippet.slice(0, 120)}…` : snippet}"): check that the URL is the API endpoint itself, not a proxy's or portal's page` },
      options,
    );
  }
}

/** The network failed before an HTTP answer arrived (refused, reset, DNS, TLS, timeout). */
export class NetworkError extends GlanceError {
  override name = "NetworkError";
  readonly method: string;
  /** The request URL, credentials removed. */
  readonly url: string;

  /** `hint`: the setting to fix, when the failure tells (a refused client certificate, a proxy's refusal). */
  constructor(method: string, url: string, cause: unknown, hint?: string) {
    const safeUrl = redactUrl(url);
    super(`${method} ${safeUrl} failed: ${describeCause(cause)}${hint === undefined ? "" : `: ${hint}`}`, { cause });
    this.method = method;
    this.url = safeUrl;
  }
}
