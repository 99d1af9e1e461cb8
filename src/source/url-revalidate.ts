import * as undici from "undici";
import { ImageSourceError, describeCause } from "../errors";
import { redactUrl } from "../redact";
import { prepareUrlRequest } from "./url-request";
import type { UrlSourceSpec } from "./url-source";

/** What a server says identifies the version of a URL's content (HTTP validators). */
export interface UrlValidators {
  readonly etag?: string;
  readonly lastModified?: string;
  readonly contentLength?: number;
}

const FIELD = "source.revalidate";

/** Validators from response headers; absent ones are left out. */
export function validatorsOf(headers: Record<string, string | string[] | undefined>): UrlValidators {
  const etag = headers["etag"];
  const lastModified = headers["last-modified"];
  const length = headers["content-length"];
  return {
    ...(typeof etag === "string" ? { etag } : {}),
    ...(typeof lastModified === "string" ? { lastModified } : {}),
    ...(typeof length === "string" && /^\d+$/.test(length) ? { contentLength: Number(length) } : {}),
  };
}

/** Whether any validator was recorded, i.e. whether there is something to compare. */
export function hasValidators(recorded: UrlValidators): boolean {
  return recorded.etag !== undefined || recorded.lastModified !== undefined || recorded.contentLength !== undefined;
}

/**
 * Why the content changed between two sets of validators, or undefined when it did not (as far as they
 * tell). An ETag present on both sides decides alone (servers change it with the content, including weak
 * ones); otherwise Last-Modified, then Content-Length. A validator on one side only tells nothing.
 */
export function validatorChange(recorded: UrlValidators, now: UrlValidators): string | undefined {
  if (recorded.etag !== undefined && now.etag !== undefined) return recorded.etag === now.etag ? undefined : `ETag ${recorded.etag} → ${now.etag}`;
  if (recorded.lastModified !== undefined && now.lastModified !== undefined && recorded.lastModified !== now.lastModified) {
    return `Last-Modified ${recorded.lastModified} → ${now.lastModified}`;
  }
  if (recorded.contentLength !== undefined && now.contentLength !== undefined && recorded.contentLength !== now.contentLength) {
    return `Content-Length ${recorded.contentLength} → ${now.contentLength}`;
  }
  return undefined;
}

/**
 * The URL's validators now, from one HEAD (with the source's credentials, following redirects). A server
 * that refuses HEAD (405, 501) is asked with one conditional GET instead (`If-None-Match`/`If-Modified-Since`
 * from `recorded`): 304 means unchanged, and a 200's body is not read. Errors name `source.revalidate`.
 */
export async function currentValidators(spec: UrlSourceSpec, recorded: UrlValidators, signal?: AbortSignal): Promise<UrlValidators> {
  const { url, headers, agent, dispatcher } = prepareUrlRequest(spec, "source.url");
  const ask = async (method: "HEAD" | "GET", extra: Record<string, string>): Promise<undici.Dispatcher.ResponseData> => {
    try {
      return await undici.request(url, { method, headers: { ...headers, ...extra }, dispatcher, signal: signal ?? null });
    } catch (cause) {
      throw new ImageSourceError(FIELD, `cannot ask ${redactUrl(url)} whether its content changed: ${describeCause(cause)}: check that the server is reachable, or set source.revalidate to false`, { cause });
    }
  };
  try {
    let res = await ask("HEAD", {});
    if (res.statusCode === 405 || res.statusCode === 501) {
      await res.body.dump();
      const conditions: Record<string, string> = {};
      if (recorded.etag !== undefined) conditions["if-none-match"] = recorded.etag;
      if (recorded.lastModified !== undefined) conditions["if-modified-since"] = recorded.lastModified;
      res = await ask("GET", conditions);
      if (res.statusCode === 304) {
        await res.body.dump();
        return recorded;
      }
    }
    // A HEAD has no body; a GET's is not read (dump with no allowance closes it without reading it).
    await res.body.dump({ limit: 0 }).catch(() => undefined);
    if (res.statusCode !== 200) {
      throw new ImageSourceError(FIELD, `${redactUrl(url)} answered HTTP ${res.statusCode} when asked whether its content changed: check the URL and source credentials, or set source.revalidate to false`);
    }
    return validatorsOf(res.headers);
  } finally {
    await agent.close().catch(() => undefined);
  }
}
