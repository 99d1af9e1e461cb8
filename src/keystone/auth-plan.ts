import { AuthError } from "../errors";
import { identityV3Url } from "./auth-url";
import type { Credentials, DomainRef, Scope, UserRef } from "./credentials";
import { whereToSet, type FieldName, type Fields, type Origins } from "./fields";

/** How requests to Glance are authenticated. */
export type AuthPlan =
  /** No token at all (a noauth Glance, with a fixed endpoint). */
  | { readonly kind: "none" }
  /** An existing token sent as-is to a fixed endpoint; Keystone is not asked. */
  | { readonly kind: "fixed-token"; readonly token: string }
  /** A token from Keystone (issued, or an existing one validated for its catalog). */
  | { readonly kind: "keystone"; readonly credentials: Credentials };

export type AuthType = "password" | "application_credential" | "token" | "none";

const AUTH_TYPES: Readonly<Record<string, AuthType>> = {
  password: "password",
  v3password: "password",
  v3applicationcredential: "application_credential",
  applicationcredential: "application_credential",
  token: "token",
  v3token: "token",
  none: "none",
  noauth: "none",
};

/** Reads `OS_AUTH_TYPE` (or `auth_type`), accepting `-`/`_` anywhere: `v3applicationcredential`, `v3_password`… */
function parseAuthType(value: string, origin = "authType"): AuthType {
  const type = AUTH_TYPES[value.trim().toLowerCase().replace(/[-_]/g, "")];
  if (type === undefined) {
    throw new AuthError(`${origin} "${value}" is not supported: use password, v3applicationcredential, token or none`);
  }
  return type;
}

/** The auth type the settings imply when none is given, the way the OpenStack clients guess it. */
function inferAuthType(fields: Fields): AuthType {
  if (fields.applicationCredentialId !== undefined || fields.applicationCredentialName !== undefined) return "application_credential";
  if (fields.username !== undefined || fields.userId !== undefined) return "password";
  if (fields.token !== undefined) return "token";
  if (fields.endpoint !== undefined) return "none";
  throw new AuthError(
    "no Glance credentials or endpoint configured: set a cloud (glance:cloud or OS_CLIENT_CONFIG_FILE/OS_CLOUD with clouds.yaml), " +
      "or OS_AUTH_URL with OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME (or an application credential, or OS_TOKEN), " +
      "or a fixed endpoint (glance:endpoint, OS_IMAGE_URL) for a Glance without Keystone",
  );
}

/** Turns merged settings into the way to authenticate, or says precisely what is missing. */
export function planAuth(fields: Fields, origins: Origins = {}): AuthPlan {
  const type = fields.authType === undefined ? inferAuthType(fields) : parseAuthType(fields.authType, origins.authType);
  if (type === "none") {
    if (fields.endpoint === undefined) throw new AuthError(`auth type none needs a fixed endpoint: set ${whereToSet("endpoint")}`);
    return { kind: "none" };
  }
  if (type === "token") {
    const token = need(fields, "token", "token authentication");
    if (fields.endpoint !== undefined) return { kind: "fixed-token", token };
    return { kind: "keystone", credentials: { method: "token", authUrl: authUrl(fields, origins, "an existing token without a fixed endpoint (to read the catalog)"), token } };
  }
  if (type === "application_credential") {
    const secret = need(fields, "applicationCredentialSecret", "application credential authentication");
    const url = authUrl(fields, origins, "application credential authentication");
    if (fields.applicationCredentialId !== undefined) {
      return { kind: "keystone", credentials: { method: "application_credential", authUrl: url, credential: { id: fields.applicationCredentialId }, secret } };
    }
    const name = need(fields, "applicationCredentialName", "application credential authentication (or applicationCredentialId)");
    const user = userRef(fields, "an application credential given by name");
    return { kind: "keystone", credentials: { method: "application_credential", authUrl: url, credential: { name, user }, secret } };
  }
  const url = authUrl(fields, origins, "password authentication");
  const user = userRef(fields, "password authentication");
  const password = need(fields, "password", "password authentication");
  const scope = scopeOf(fields);
  return { kind: "keystone", credentials: { method: "password", authUrl: url, user, password, ...(scope === undefined ? {} : { scope }) } };
}

function need(fields: Fields, field: FieldName, what: string): string {
  const value = fields[field];
  if (value === undefined) throw new AuthError(`${what} needs ${field}; set it with ${whereToSet(field)}`);
  return value;
}

function authUrl(fields: Fields, origins: Origins, what: string): string {
  return identityV3Url(need(fields, "authUrl", what), origins.authUrl);
}

/** A domain by id or name from the specific fields, falling back to `domainId`/`domainName`. */
function domainRef(fields: Fields, id: FieldName, name: FieldName): DomainRef | undefined {
  const byId = fields[id] ?? (fields[name] === undefined ? fields.domainId : undefined);
  if (byId !== undefined) return { id: byId };
  const byName = fields[name] ?? fields.domainName;
  return byName === undefined ? undefined : { name: byName };
}

function userRef(fields: Fields, what: string): UserRef {
  if (fields.userId !== undefined) return { id: fields.userId };
  const name = need(fields, "username", `${what} (or userId)`);
  const domain = domainRef(fields, "userDomainId", "userDomainName");
  if (domain === undefined) {
    throw new AuthError(`user "${name}" is given by name, so its domain is needed: set ${whereToSet("userDomainName")} (often "Default"), or userDomainId, or domainName for both user and project`);
  }
  return { name, domain };
}

/** Project scope if a project is set, domain scope if only a domain is, else none (the default project). */
function scopeOf(fields: Fields): Scope | undefined {
  if (fields.projectId !== undefined) return { project: { id: fields.projectId } };
  if (fields.projectName !== undefined) {
    const domain = domainRef(fields, "projectDomainId", "projectDomainName");
    if (domain === undefined) {
      throw new AuthError(`project "${fields.projectName}" is given by name, so its domain is needed: set ${whereToSet("projectDomainName")} (often "Default"), or projectDomainId, or domainName for both user and project`);
    }
    return { project: { name: fields.projectName, domain } };
  }
  if (fields.domainId !== undefined) return { domain: { id: fields.domainId } };
  if (fields.domainName !== undefined) return { domain: { name: fields.domainName } };
  return undefined;
}
