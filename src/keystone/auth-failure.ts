import { AuthError, type HttpError } from "../errors";
import type { Credentials, DomainRef, UserRef } from "./credentials";
import type { FieldName, Origins } from "./fields";

/**
 * The error for credentials Keystone refused: it says which Keystone, which identity (never the
 * secret), Keystone's own message, and the settings to check with where each came from.
 */
export function refusedError(credentials: Credentials, origins: Origins, error: HttpError): AuthError {
  const server = error.serverMessage === undefined || error.serverMessage === "" ? "" : ` "${error.serverMessage}"`;
  const why = `${error.status}${server}${error.requestId === undefined ? "" : ` (request ${error.requestId})`}`;
  const what =
    credentials.method === "token"
      ? `Keystone at ${credentials.authUrl} refused the existing token with ${why}`
      : `Keystone at ${credentials.authUrl} refused the ${credentials.method === "password" ? "password" : "application credential"} authentication of ${describeIdentity(credentials)}: ${why}`;
  const hint = {
    token: "the token may have expired or been revoked: get a new one (openstack token issue) or configure a password or application credential instead",
    application_credential: "the application credential must exist, belong to that user and not have expired, and the secret is shown only once when it is created",
    password: "the user, the project and their domains must exist and the user must have a role on the project (or domain)",
  }[credentials.method];
  return new AuthError(`${what}. Check ${checklist(credentials, origins)}; ${hint}`, { cause: error });
}

/** The error for a Keystone that cannot be reached at all. */
export function unreachableError(authUrl: string, origins: Origins, cause: Error): AuthError {
  return new AuthError(`cannot reach Keystone at ${authUrl} (${cause.message}): check the auth URL${from(origins, ["authUrl"])}, the network, and the TLS settings (cacert, insecure, cert and key)`, { cause });
}

/** "user admin in domain Default, scoped to project admin in domain Default". */
function describeIdentity(credentials: Credentials): string {
  switch (credentials.method) {
    case "password": {
      const scope = credentials.scope;
      const scoped =
        scope === undefined
          ? " (unscoped: the user's default project)"
          : "project" in scope
            ? `, scoped to project ${"id" in scope.project ? `id ${scope.project.id}` : `${scope.project.name} in ${domain(scope.project.domain)}`}`
            : `, scoped to ${domain(scope.domain)}`;
      return `${user(credentials.user)}${scoped}`;
    }
    case "application_credential": {
      const c = credentials.credential;
      return "id" in c ? `application credential id ${c.id}` : `application credential ${c.name} of ${user(c.user)}`;
    }
    case "token":
      return "an existing token";
  }
}

function user(ref: UserRef): string {
  return "id" in ref ? `user id ${ref.id}` : `user ${ref.name} in ${domain(ref.domain)}`;
}

function domain(ref: DomainRef): string {
  return "id" in ref ? `domain id ${ref.id}` : `domain ${ref.name}`;
}

/** The settings to check, each with where it came from. */
function checklist(credentials: Credentials, origins: Origins): string {
  const items = [`the auth URL${from(origins, ["authUrl"])}`];
  if (credentials.method === "password") {
    items.push(`the user${from(origins, ["username", "userId"])} and its domain${from(origins, ["userDomainName", "userDomainId", "domainName", "domainId"])}`);
    items.push(`the password${from(origins, ["password"])}`);
    const scope = credentials.scope;
    if (scope !== undefined && "project" in scope) {
      items.push(`the project${from(origins, ["projectName", "projectId"])} and its domain${from(origins, ["projectDomainName", "projectDomainId", "domainName", "domainId"])}`);
    } else if (scope !== undefined) {
      items.push(`the domain${from(origins, ["domainName", "domainId"])}`);
    }
  } else if (credentials.method === "application_credential") {
    items.push(`the application credential${from(origins, ["applicationCredentialId", "applicationCredentialName"])}`);
    if (!("id" in credentials.credential)) items.push(`its user${from(origins, ["username", "userId"])} and domain${from(origins, ["userDomainName", "userDomainId", "domainName", "domainId"])}`);
    items.push(`the secret${from(origins, ["applicationCredentialSecret"])}`);
  } else {
    items.push(`the token${from(origins, ["token"])}`);
  }
  return items.join(", ");
}

function from(origins: Origins, fields: readonly FieldName[]): string {
  const where = [...new Set(fields.map((f) => origins[f]).filter((o): o is string => o !== undefined))];
  return where.length === 0 ? "" : ` (${where.join(", ")})`;
}
