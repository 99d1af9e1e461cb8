import { proxyEnv, usesProxy } from "./proxy";

/**
 * TLS alerts a server sends about the client's certificate (OpenSSL's codes as Node reports them): none
 * was sent where one is required, or the one sent is not accepted.
 */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED",
  "ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE",
  "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
  "ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN",
  "ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED",
  "ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED",
  "ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE",
  "ERR_SSL_TLSV1_ALERT_ACCESS_DENIED",
]);

const SET_CERTIFICATE = "set the client certificate and key, OS_CERT and OS_KEY, clouds.yaml cert and key, or glance:cert and glance:key";
const CLIENT_CERTIFICATE_HINT = `the server refused this client's TLS certificate (it requires one its CA signed, and none was sent or the one sent is not accepted): ${SET_CERTIFICATE}`;
/** TLS 1.3 servers check the client's certificate after the handshake and may just close the connection. */
const MAYBE_CLIENT_CERTIFICATE_HINT = `if the server requires a TLS client certificate (it then closes the connection unanswered, or fails the handshake, when none is sent or it does not accept the one sent): ${SET_CERTIFICATE}`;

const PROXY_HINT = (status: number): string =>
  `the proxy refused the request (${status}: proxy authentication): check the user and password in HTTPS_PROXY / HTTP_PROXY (http://user:password@proxy:port, %-encoded), or list the host in NO_PROXY`;

/** The codes along a failure's cause chain (undici wraps socket errors). */
function codes(cause: unknown): string[] {
  const found: string[] = [];
  for (let at = cause, depth = 0; typeof at === "object" && at !== null && depth < 5; at = (at as { cause?: unknown }).cause, depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string") found.push(code);
  }
  return found;
}

/**
 * The setting to fix, for a request to `url` that failed before any answer: the server's TLS alert about
 * the client certificate (or, over HTTPS, a connection closed before any byte of an answer or a failed
 * handshake, which is how TLS 1.3 servers refuse one: the hint then says "if"), or a proxy that refused to
 * open a tunnel (CONNECT) for want of credentials. `undefined` when the failure is of another kind.
 * `sendsClientCertificate: false` (source URLs, which never send one) leaves the certificate hints out.
 */
export function connectionHint(cause: unknown, url: URL, sendsClientCertificate = true): string | undefined {
  const found = codes(cause);
  if (sendsClientCertificate && found.some((code) => CLIENT_CERTIFICATE_ALERTS.has(code))) return CLIENT_CERTIFICATE_HINT;
  if (sendsClientCertificate && url.protocol === "https:") {
    const unanswered = found.includes("UND_ERR_SOCKET") && (cause as { socket?: { bytesRead?: unknown } }).socket?.bytesRead === 0;
    if (unanswered || found.includes("ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE")) return MAYBE_CLIENT_CERTIFICATE_HINT;
  }
  const tunnel = /Proxy response \((40[17])\) !== 200/.exec(cause instanceof Error ? cause.message : String(cause));
  if (tunnel !== null) return PROXY_HINT(Number(tunnel[1]));
  return undefined;
}

/**
 * The setting to fix, for an answer a proxy may have given instead of the server: 407 always comes from a
 * proxy; a 401 asking for Basic credentials while a proxy is configured is one (tinyproxy answers 401 where
 * 407 is meant). OpenStack's own 401 asks for Keystone credentials and gets no hint here.
 */
export function answerHint(status: number, wwwAuthenticate: string | undefined): string | undefined {
  if (status === 407) return PROXY_HINT(status);
  if (status === 401 && /^\s*basic\b/i.test(wwwAuthenticate ?? "") && usesProxy(proxyEnv())) return PROXY_HINT(status);
  return undefined;
}
