import type { Readable } from "node:stream";
import * as undici from "undici";
import { ImageSourceError, describeCause } from "../errors";
import { answerHint, connectionHint } from "../http/failure-hints";
import { redactUrl } from "../redact";
import { prepareUrlRequest } from "./url-request";

/** An HTTP(S) source and how to fetch it. Credentials are secrets: never logged or kept in state. */
export interface UrlSourceSpec {
  readonly url: string;
  /** Extra request headers, e.g. `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly username?: string;
  readonly password?: string;
  readonly ca?: string | Buffer;
  readonly insecure?: boolean;
  /** Redirects followed at most. Default 5. */
  readonly maxRedirects?: number;
  readonly connectTimeoutMs?: number;
  readonly idleTimeoutMs?: number;
}

/** An open URL source. */
export interface OpenedUrl {
  readonly stream: Readable;
  /** `Content-Length`, when the server sent one. */
  readonly size: number | undefined;
  readonly etag: string | undefined;
  readonly lastModified: string | undefined;
  /** The server said `Accept-Ranges: bytes`. */
  readonly acceptsRanges: boolean;
  /**
   * Asks for the bytes from `offset` on, of the same version only (`Range` + `If-Range` with the strong
   * ETag, else Last-Modified). The body when the server answered 206 for exactly that range of that
   * version; undefined when it cannot (no range support, no validator, 200 = another version or the whole
   * file, 412, a range or validator that does not match): the caller then starts over, never splicing.
   */
  rangeFrom(offset: number, signal?: AbortSignal): Promise<Readable | undefined>;
  /** Closes the connection pool once the stream is done. */
  close(): Promise<void>;
}

const FIELD = "source.url";

/** Starts a streamed GET of the source URL, following redirects; errors name the field and status. */
export async function openSourceUrl(spec: UrlSourceSpec, signal?: AbortSignal, field = FIELD): Promise<OpenedUrl> {
  const { url, headers, agent, dispatcher } = prepareUrlRequest(spec, field);
  const close = (): Promise<void> => agent.close();
  let res: undici.Dispatcher.ResponseData;
  try {
    res = await undici.request(url, { method: "GET", headers, dispatcher, signal: signal ?? null });
  } catch (cause) {
    await close();
    const code = (cause as { code?: string }).code;
    if (code === "UND_ERR_REQ_RETRY" || /redirect/i.test(describeCause(cause))) {
      throw new ImageSourceError(field, `${redactUrl(url)} redirects too often (loop?): give the final URL`, { cause });
    }
    const hint = connectionHint(cause, new URL(String(url)), false) ?? "check the URL and that the server is reachable from where pulumi runs";
    throw new ImageSourceError(field, `cannot fetch ${redactUrl(url)}: ${describeCause(cause)}: ${hint}`, { cause });
  }
  if (res.statusCode >= 300 && res.statusCode < 400) {
    await res.body.dump();
    await close();
    throw new ImageSourceError(field, `${redactUrl(url)} redirects too often (loop?): give the final URL`);
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    await close();
    const proxy = answerHint(res.statusCode, typeof res.headers["www-authenticate"] === "string" ? res.headers["www-authenticate"] : undefined);
    const hint = proxy !== undefined ? `${proxy}; if the source itself asks, check source.username/password or source.headers` : res.statusCode === 401 || res.statusCode === 403 ? "check source.username/password or source.headers" : "check the URL";
    throw new ImageSourceError(field, `${redactUrl(url)} answered HTTP ${res.statusCode}: ${hint}`);
  }
  const length = res.headers["content-length"];
  const etag = res.headers["etag"];
  const lastModified = res.headers["last-modified"];
  const size = typeof length === "string" && /^\d+$/.test(length) ? Number(length) : undefined;
  const acceptsRanges = /\bbytes\b/i.test(String(res.headers["accept-ranges"] ?? ""));
  const strongEtag = typeof etag === "string" && !etag.startsWith("W/") ? etag : undefined;
  const validator = strongEtag ?? (typeof lastModified === "string" ? lastModified : undefined);
  const rangeFrom = async (offset: number, rangeSignal?: AbortSignal): Promise<Readable | undefined> => {
    if (!acceptsRanges || validator === undefined) return undefined;
    const part = await undici.request(url, { method: "GET", headers: { ...headers, range: `bytes=${offset}-`, "if-range": validator }, dispatcher, signal: rangeSignal ?? signal ?? null });
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(part.headers["content-range"] ?? ""));
    const sameVersion = strongEtag === undefined || part.headers["etag"] === undefined || part.headers["etag"] === strongEtag;
    const sameRange = range !== null && Number(range[1]) === offset && (size === undefined || (range[3] === String(size) && Number(range[2]) === size - 1));
    if (part.statusCode === 206 && sameVersion && sameRange) return part.body;
    await part.body.dump().catch(() => undefined);
    return undefined;
  };
  if (size === 0) {
    await res.body.dump();
    await close();
    throw new ImageSourceError(field, `${redactUrl(url)} is empty (Content-Length 0): point it at the image file`);
  }
  return {
    stream: res.body,
    size,
    etag: typeof etag === "string" ? etag : undefined,
    lastModified: typeof lastModified === "string" ? lastModified : undefined,
    acceptsRanges,
    rangeFrom,
    close,
  };
}
