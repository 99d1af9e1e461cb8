import type { Dispatcher } from "undici";
import { AuthError, BodyFormatError, HttpError, NetworkError, TimeoutError } from "../errors";
import { header, Transport } from "../http/transport";
import { registerSecret } from "../redact";
import { buildAuthBody } from "./auth-body";
import { refusedError, unreachableError } from "./auth-failure";
import type { Credentials } from "./credentials";
import type { Origins } from "./fields";
import { parseTokenResponse, type IssuedToken } from "./token-response";

/** How to reach Keystone. */
export interface KeystoneConnection {
  readonly ca?: string | Buffer;
  readonly insecure?: boolean;
  /** PEM client certificate and private key, for a Keystone that requires one. */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
  readonly dispatcher?: Dispatcher;
  readonly userAgent?: string;
  /** Where each setting came from, for error messages. */
  readonly origins?: Origins;
}

/**
 * Authentication is rare (once per token lifetime), so its connection is not kept: an idle keep-alive
 * connection can hold a Keystone worker (uwsgi's http11 socket does, for its socket timeout).
 */
const CLOSE = { Connection: "close" } as const;

/** Statuses that mean "these credentials are not accepted" rather than "Keystone is broken". */
const REFUSED = [400, 401, 403, 404];

/**
 * Gets a token for the credentials: `POST /v3/auth/tokens` for a password or an application
 * credential, or, for an existing token, `GET /v3/auth/tokens` with the token as both `X-Auth-Token`
 * and `X-Subject-Token` (which returns its catalog and expiry). The token is registered for redaction.
 */
export async function authenticate(credentials: Credentials, connection: KeystoneConnection = {}): Promise<IssuedToken> {
  const http = new Transport({
    baseUrl: credentials.authUrl,
    timeouts: { connectMs: 30_000, headersMs: 60_000, idleMs: 60_000 },
    userAgent: connection.userAgent ?? "pulumi-glance",
    ...(connection.ca === undefined ? {} : { ca: connection.ca }),
    ...(connection.insecure === undefined ? {} : { insecure: connection.insecure }),
    ...(connection.cert === undefined ? {} : { cert: connection.cert }),
    ...(connection.key === undefined ? {} : { key: connection.key }),
    ...(connection.dispatcher === undefined ? {} : { dispatcher: connection.dispatcher }),
  });
  const where = `Keystone at ${credentials.authUrl}`;
  try {
    if (credentials.method === "token") {
      const res = await http.json<unknown>({
        method: "GET",
        path: "auth/tokens",
        headers: { "X-Auth-Token": credentials.token, "X-Subject-Token": credentials.token, ...CLOSE },
        expect: [200],
        context: "validate token",
      });
      return parseTokenResponse(credentials.token, res.body, where);
    }
    const res = await http.json<unknown>({
      method: "POST",
      path: "auth/tokens",
      json: buildAuthBody(credentials),
      headers: CLOSE,
      expect: [201],
      context: "authenticate",
    });
    const token = header(res.headers, "x-subject-token");
    if (token === undefined || token === "") throw new AuthError(`${where} answered ${res.status} without an X-Subject-Token header: is this a Keystone v3 endpoint?`);
    registerSecret(token);
    return parseTokenResponse(token, res.body, where);
  } catch (error) {
    if (error instanceof HttpError && REFUSED.includes(error.status)) throw refusedError(credentials, connection.origins ?? {}, error);
    if (error instanceof NetworkError || error instanceof TimeoutError) throw unreachableError(credentials.authUrl, connection.origins ?? {}, error);
    if (error instanceof BodyFormatError) throw new AuthError(`${where} answered with a body that is not JSON: is this a Keystone v3 endpoint?`, { cause: error });
    throw error;
  } finally {
    await http.close();
  }
}
