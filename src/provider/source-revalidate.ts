import { currentValidators, hasValidators, validatorChange, type UrlValidators } from "../source/url-revalidate";
import { isMaskedUrl, maskUrl } from "../source/url-identity";
import type { SourceFingerprint, SourceInputs } from "./inputs";
import type { SourceVerdict } from "./source-change";
import { isUnknown } from "./unknown";

/** The validators a URL fingerprint recorded. */
export function recordedValidators(print: SourceFingerprint): UrlValidators {
  return {
    ...(print.etag === undefined ? {} : { etag: print.etag }),
    ...(print.lastModified === undefined ? {} : { lastModified: print.lastModified }),
    ...(print.contentLength === undefined ? {} : { contentLength: print.contentLength }),
  };
}

/** The source's credentials and address, as the fetch uses them. */
export function urlSpec(source: SourceInputs & { url: string }): { url: string; headers?: Record<string, string>; username?: string; password?: string } {
  return {
    url: source.url,
    ...(source.headers === undefined ? {} : { headers: { ...source.headers } }),
    ...(source.username === undefined ? {} : { username: source.username }),
    ...(source.password === undefined ? {} : { password: source.password }),
  };
}

/**
 * With `source.revalidate: true`, asks a URL source whether its content changed since the upload (one HEAD,
 * see `currentValidators`) and turns a change into a replacement with the reason. Without it, or when the
 * verdict already replaces, or the URL is not known yet, nothing is sent: the default costs no request.
 * State recorded without validators has nothing to compare: it says so and plans nothing.
 */
export async function revalidateSource(verdict: SourceVerdict, print: SourceFingerprint | undefined, next: SourceInputs | undefined, label: string): Promise<SourceVerdict> {
  if (verdict.replace || next === undefined || isUnknown(next) || next.revalidate !== true) return verdict;
  const url = next.url;
  if (url === undefined || isUnknown(url) || isMaskedUrl(url) || print?.kind !== "url") return verdict;
  const recorded = recordedValidators(print);
  if (!hasValidators(recorded)) {
    console.log(`${label}: source.revalidate: no ETag, Last-Modified or Content-Length was recorded when the data was sent, so a change upstream cannot be seen (it is recorded at the next upload)`);
    return verdict;
  }
  const now = await currentValidators(urlSpec({ ...next, url }), recorded);
  const change = validatorChange(recorded, now);
  return change === undefined ? verdict : { replace: true, reason: `the content at ${maskUrl(url)} changed upstream (${change})` };
}
