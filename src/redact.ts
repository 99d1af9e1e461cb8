/**
 * Redaction of credentials from any text that may leave the process: error messages, log lines,
 * progress output. Two mechanisms work together:
 *
 * - patterns catch credentials by shape (URL userinfo, auth headers, token/password query or JSON fields);
 * - a process-wide registry catches exact secret values the provider loaded (passwords, application
 *   credential secrets, tokens, source-URL headers), wherever they appear.
 */

const secrets = new Set<string>();

/** Secrets shorter than this are not registered: masking "a" everywhere would destroy messages. */
const MIN_SECRET_LENGTH = 4;

/** The text that replaces a credential. */
export const REDACTED = "***";

/**
 * Registers secret values so that {@link redact} masks them wherever they appear. Values shorter than
 * four characters are ignored (they are masked by the patterns where they appear in known positions).
 */
export function registerSecret(...values: ReadonlyArray<string | undefined>): void {
  for (const value of values) {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
  }
}

/** Query parameter names that carry credentials: tokens, signatures of pre-signed URLs (`X-Amz-Signature`, `temp_url_sig`, `sig`), keys. */
const CREDENTIAL_QUERY_KEY = /token|secret|password|signature|key|sig|credential/i;

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // scheme://user:password@host → scheme://***@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*(?::[^\s/@]*)?@/gi, `$1${REDACTED}@`],
  // X-Auth-Token: abc, X-Subject-Token: abc, Authorization: Basic abc
  [/\b(x-auth-token|x-subject-token|x-service-token|authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)(?:(?:basic|bearer)\s+)?[^\s"',}]+/gi, `$1$2${REDACTED}`],
  // "password": "…", "secret": "…", "token": "…" in JSON or key=value text
  [/\b(password|secret|token|passwd|api[_-]?key|access[_-]?key|signature)(["']?\s*[:=]\s*["']?)[^\s"'&,}]+/gi, `$1$2${REDACTED}`],
  // a credential query parameter of a URL quoted in text: ?temp_url_sig=…, &X-Amz-Credential=…, &sig=…
  [new RegExp(`([?&][^=&\\s#"')]*(?:${CREDENTIAL_QUERY_KEY.source})[^=&\\s#"')]*=)[^&\\s#"')]+`, "gi"), `$1${REDACTED}`],
];

/** Returns `text` with every known secret value and every credential-shaped substring masked. */
export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Returns a URL string without userinfo and with credential-looking query parameters masked. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redact(String(url));
  }
  if (parsed.username !== "" || parsed.password !== "") {
    parsed.username = REDACTED;
    parsed.password = "";
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (CREDENTIAL_QUERY_KEY.test(key)) parsed.searchParams.set(key, REDACTED);
  }
  return redact(parsed.toString());
}
