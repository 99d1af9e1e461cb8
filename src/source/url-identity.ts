import { createHash } from "node:crypto";
import { REDACTED } from "../redact";

/**
 * What of a source URL may be kept in state, and what identifies the data behind it.
 *
 * A URL's query often carries credentials (pre-signed S3/GCS/Swift/CloudFront/Azure URLs) that change on
 * every signing while the object stays the same. State therefore keeps the URL only with every query value
 * masked and without userinfo, plus a digest of the parts that name the object: origin, path, and the query
 * parameters that are not credentials. A re-signed URL keeps its identity; `?version=2` changes it.
 */

/** Query parameters of signing schemes: their values change with each signature, not with the object. */
const CREDENTIAL_PARAM = /^x-(?:amz|goog)-|signature|^sig$|^sig[_-]|[_-]sig$|credential|token|^expires?$|^date$|^policy$|^key-pair-id$|secret|password|passwd|api[_-]?key|access[_-]?key|^temp_url_/i;

/** Azure shared-access-signature parameters (short names, matched exactly). */
const SAS_PARAMS = new Set(["sv", "ss", "srt", "sp", "se", "st", "spr", "sr", "sig", "si", "skoid", "sktid", "skt", "ske", "sks", "skv", "sdd", "ses"]);

/** Whether a query parameter is part of a signature or credential rather than of the object's name. */
export function isCredentialParam(name: string): boolean {
  return CREDENTIAL_PARAM.test(name) || SAS_PARAMS.has(name.toLowerCase());
}

/** Whether a URL carries a query string or userinfo, i.e. something that must not be stored readable. */
export function hasUrlSecrets(url: string): boolean {
  const parsed = parse(url);
  if (parsed === undefined) return /[?@]/.test(url);
  return parsed.search !== "" || parsed.username !== "" || parsed.password !== "";
}

/** The URL as state may hold it: userinfo dropped, every query value masked (names kept), no fragment. */
export function maskUrl(url: string): string {
  const parsed = parse(url);
  if (parsed === undefined) return REDACTED;
  parsed.username = "";
  parsed.password = "";
  parsed.hash = "";
  const names = [...parsed.searchParams.keys()];
  if (names.length === 0) return parsed.toString();
  return `${parsed.origin}${parsed.pathname}?${names.map((name) => `${encodeURIComponent(name)}=${REDACTED}`).join("&")}`;
}

/**
 * A hex sha256 over what names the object behind `url`: origin, path and the sorted non-credential query
 * parameters. Credentials (userinfo, signature parameters) and the fragment do not count.
 */
export function urlIdentity(url: string): string {
  const parsed = parse(url);
  const named = parsed === undefined
    ? ["unparsed", url]
    : [parsed.origin, parsed.pathname, [...parsed.searchParams].filter(([name]) => !isCredentialParam(name)).sort(byPair)];
  return createHash("sha256").update(JSON.stringify(named)).digest("hex");
}

/** The URL part of a source fingerprint: the masked location and the identity digest. */
export function urlFingerprint(url: string): { kind: "url"; location: string; urlIdentity: string } {
  return { kind: "url", location: maskUrl(url), urlIdentity: urlIdentity(url) };
}

function byPair(a: [string, string], b: [string, string]): number {
  return a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether `next` names the object that was uploaded. Compared by identity digest; state written before
 * the digest existed has the raw URL it was given, whose identity is computed the same way (so a
 * re-signed URL is still the same object). The masked form kept in state (see {@link maskUrl}) names
 * the same object too: it is what a refresh records, and what `ignoreChanges: ["source"]` copies back.
 */
export function sameUrlObject(stored: { identity?: string | undefined; url?: string | undefined }, next: string): boolean {
  if (stored.url !== undefined && next === stored.url) return true;
  const identity = stored.identity ?? (stored.url === undefined ? undefined : urlIdentity(stored.url));
  return identity === urlIdentity(next);
}

/** True when `url` is the masked form kept in state (a query value reads `***`): it cannot be fetched. */
export function isMaskedUrl(url: string): boolean {
  const parsed = parse(url);
  return parsed !== undefined && [...parsed.searchParams.values()].some((value) => value === REDACTED);
}
