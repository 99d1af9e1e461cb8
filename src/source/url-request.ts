import * as undici from "undici";
import { ImageSourceError, describeCause } from "../errors";
import { connectionDispatcher } from "../http/proxy";
import { redactUrl, registerSecret } from "../redact";
import type { UrlSourceSpec } from "./url-source";

/** A request to a source URL, ready to send: credentials moved from the URL into headers. */
export interface PreparedUrlRequest {
  /** The URL without userinfo. */
  readonly url: URL;
  readonly headers: Record<string, string>;
  /** The connection pool, to close once done. */
  readonly agent: undici.Dispatcher;
  /** The pool with redirects followed. */
  readonly dispatcher: undici.Dispatcher;
}

/**
 * Parses the source URL (only http/https; the error names `field` and the fix), registers its secrets
 * for redaction, sets basic auth from `username`/`password` or the URL's userinfo, and opens a pool.
 */
export function prepareUrlRequest(spec: UrlSourceSpec, field: string): PreparedUrlRequest {
  const url = parseSourceUrl(spec.url, field);
  registerSecret(spec.password, url.password, ...Object.values(spec.headers ?? {}));
  const headers: Record<string, string> = { accept: "*/*", ...(spec.headers ?? {}) };
  const username = spec.username ?? userinfo(url.username, field);
  const password = spec.password ?? userinfo(url.password, field);
  if (username !== "" || password !== "") headers["authorization"] = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  url.username = "";
  url.password = "";

  const connect: undici.buildConnector.BuildOptions = { timeout: spec.connectTimeoutMs ?? 30_000 };
  if (spec.ca !== undefined) connect.ca = spec.ca;
  if (spec.insecure === true) connect.rejectUnauthorized = false;
  const agent = connectionDispatcher(connect, { bodyTimeout: spec.idleTimeoutMs ?? 300_000, headersTimeout: spec.idleTimeoutMs ?? 300_000 });
  const dispatcher = agent.compose(undici.interceptors.redirect({ maxRedirections: spec.maxRedirects ?? 5 }));
  return { url, headers, agent, dispatcher };
}

/** Validates the scheme of a source URL; the error names the field and the fix. */
function parseSourceUrl(url: string, field: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImageSourceError(field, `"${redactUrl(url)}" is not a URL: give an absolute http:// or https:// URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ImageSourceError(field, `scheme ${parsed.protocol} is not supported: give an http:// or https:// URL (for a local file use source.file)`);
  }
  return parsed;
}

/** A percent-decoded user or password of the URL; a malformed escape is the field's error, not a URIError. */
function userinfo(text: string, field: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new ImageSourceError(field, `the user or password in the URL has a malformed %-escape (${describeCause(cause)}): encode it, or use source.username and source.password`);
  }
}
