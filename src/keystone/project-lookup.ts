import { HttpError } from "../errors";
import { Transport } from "../http/transport";
import type { KeystoneConnection } from "./authenticate";

/** What Keystone says of a project id: it exists, it does not, or it will not tell these credentials. */
export type ProjectLookup = "exists" | "missing" | "unknown";

/**
 * `GET /v3/projects/{id}` with the caller's token. Keystone's default policy lets admins (and a project's
 * own members) read a project: a 404 proves the id unknown; a 403 (an ordinary user asking about another
 * project) tells nothing, and neither does a failure to reach Keystone (the caller carries on without it).
 */
export async function lookupProject(authUrl: string, token: string, projectId: string, connection: KeystoneConnection = {}): Promise<ProjectLookup> {
  const http = new Transport({
    baseUrl: authUrl,
    timeouts: { connectMs: 30_000, headersMs: 60_000, idleMs: 60_000 },
    userAgent: connection.userAgent ?? "pulumi-glance",
    ...(connection.ca === undefined ? {} : { ca: connection.ca }),
    ...(connection.insecure === undefined ? {} : { insecure: connection.insecure }),
    ...(connection.cert === undefined ? {} : { cert: connection.cert }),
    ...(connection.key === undefined ? {} : { key: connection.key }),
    ...(connection.dispatcher === undefined ? {} : { dispatcher: connection.dispatcher }),
  });
  try {
    await http.json<unknown>({
      method: "GET",
      path: `projects/${encodeURIComponent(projectId)}`,
      headers: { "X-Auth-Token": token, Connection: "close" },
      expect: [200],
      context: `look up project ${projectId}`,
    });
    return "exists";
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return "missing";
    return "unknown";
  } finally {
    await http.close();
  }
}
