/**
 * The flat settings vocabulary shared by every source (stack config, `OS_*` variables, clouds.yaml):
 * one camelCase name per setting, the same as the `glance:*` stack config keys.
 */

/** Every setting that describes how to authenticate and where Glance is. */
export const FIELD_NAMES = [
  "authType",
  "authUrl",
  "username",
  "userId",
  "password",
  "userDomainName",
  "userDomainId",
  "projectName",
  "projectId",
  "projectDomainName",
  "projectDomainId",
  "domainName",
  "domainId",
  "applicationCredentialId",
  "applicationCredentialName",
  "applicationCredentialSecret",
  "token",
  "region",
  "interface",
  "endpoint",
  "cacert",
  "insecure",
  "cert",
  "key",
  "connectTimeoutSeconds",
  "idleTimeoutSeconds",
  "retryBudgetSeconds",
  "apiVersion",
  "vendorAccessToken",
  "vendorSessionToken",
  "vendorSessionSecret",
  "vendorBodyEncoding",
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

/** Settings as strings, before interpretation; a missing or empty value is left out. */
export type Fields = Partial<Record<FieldName, string>>;

/** Where each field's value came from, for error messages ("OS_USERNAME", "stack config glance:username"). */
export type Origins = Partial<Record<FieldName, string>>;

/** The fields holding secrets: registered for redaction as soon as they are read. */
export const SECRET_FIELDS: readonly FieldName[] = ["password", "applicationCredentialSecret", "token", "vendorAccessToken", "vendorSessionToken", "vendorSessionSecret"];

/** Where a field is read from besides the `glance:<field>` stack config key. */
export interface FieldSources {
  /** `OS_*` variables, the first set one wins. */
  readonly env: readonly string[];
  /** Keys of a clouds.yaml entry: `auth.<key>` inside its auth block, or a top-level key. */
  readonly clouds: readonly string[];
}

export const FIELD_SOURCES: Readonly<Record<FieldName, FieldSources>> = {
  authType: { env: ["OS_AUTH_TYPE"], clouds: ["auth_type"] },
  authUrl: { env: ["OS_AUTH_URL"], clouds: ["auth.auth_url"] },
  username: { env: ["OS_USERNAME"], clouds: ["auth.username"] },
  userId: { env: ["OS_USER_ID"], clouds: ["auth.user_id"] },
  password: { env: ["OS_PASSWORD"], clouds: ["auth.password"] },
  userDomainName: { env: ["OS_USER_DOMAIN_NAME"], clouds: ["auth.user_domain_name"] },
  userDomainId: { env: ["OS_USER_DOMAIN_ID"], clouds: ["auth.user_domain_id"] },
  projectName: { env: ["OS_PROJECT_NAME", "OS_TENANT_NAME"], clouds: ["auth.project_name", "auth.tenant_name"] },
  projectId: { env: ["OS_PROJECT_ID", "OS_TENANT_ID"], clouds: ["auth.project_id", "auth.tenant_id"] },
  projectDomainName: { env: ["OS_PROJECT_DOMAIN_NAME"], clouds: ["auth.project_domain_name"] },
  projectDomainId: { env: ["OS_PROJECT_DOMAIN_ID"], clouds: ["auth.project_domain_id"] },
  domainName: { env: ["OS_DOMAIN_NAME"], clouds: ["auth.domain_name"] },
  domainId: { env: ["OS_DOMAIN_ID"], clouds: ["auth.domain_id"] },
  applicationCredentialId: { env: ["OS_APPLICATION_CREDENTIAL_ID"], clouds: ["auth.application_credential_id"] },
  applicationCredentialName: { env: ["OS_APPLICATION_CREDENTIAL_NAME"], clouds: ["auth.application_credential_name"] },
  applicationCredentialSecret: { env: ["OS_APPLICATION_CREDENTIAL_SECRET"], clouds: ["auth.application_credential_secret"] },
  token: { env: ["OS_TOKEN", "OS_AUTH_TOKEN"], clouds: ["auth.token"] },
  region: { env: ["OS_REGION_NAME"], clouds: ["region_name"] },
  interface: { env: ["OS_INTERFACE", "OS_ENDPOINT_TYPE"], clouds: ["interface", "endpoint_type"] },
  endpoint: { env: ["OS_IMAGE_URL", "OS_ENDPOINT"], clouds: ["image_endpoint_override"] },
  cacert: { env: ["OS_CACERT"], clouds: ["cacert"] },
  insecure: { env: ["OS_INSECURE"], clouds: ["insecure"] },
  cert: { env: ["OS_CERT"], clouds: ["cert"] },
  key: { env: ["OS_KEY"], clouds: ["key"] },
  connectTimeoutSeconds: { env: ["PULUMI_GLANCE_CONNECT_TIMEOUT"], clouds: ["connect_timeout"] },
  idleTimeoutSeconds: { env: ["PULUMI_GLANCE_IDLE_TIMEOUT"], clouds: ["api_timeout"] },
  // clouds.yaml has no time budget for retries (only counts: connect_retries, status_code_retries).
  retryBudgetSeconds: { env: ["PULUMI_GLANCE_RETRY_BUDGET"], clouds: [] },
  // As the openstack CLI reads them; "2" and "1" as well as "v2", "v1", and "auto" (the version document).
  apiVersion: { env: ["OS_IMAGE_API_VERSION"], clouds: ["image_api_version"] },
  // The vendor image API of seed 004 (apiVersion vendor-htaiyun): its three access headers, and how POST
  // inputs are encoded (its document does not say: form or json).
  vendorAccessToken: { env: ["HT_ACCESS_TOKEN"], clouds: [] },
  vendorSessionToken: { env: ["IMR_SESSION_TOKEN"], clouds: [] },
  vendorSessionSecret: { env: ["IMR_SESSION_SECRET"], clouds: [] },
  vendorBodyEncoding: { env: ["HTAIYUN_BODY_ENCODING"], clouds: [] },
};

/** "glance:username, OS_USERNAME or clouds.yaml auth.username": where a missing field can be set. */
export function whereToSet(field: FieldName): string {
  const { env, clouds } = FIELD_SOURCES[field];
  return clouds[0] === undefined ? `glance:${field} or ${env[0] ?? ""}` : `glance:${field}, ${env[0] ?? ""} or clouds.yaml ${clouds[0]}`;
}
