/**
 * From settings to the way of authenticating: explicit and inferred auth types, domain defaults,
 * scopes, fixed endpoints, and the errors for incomplete setups (each naming what to set).
 */
import { describe, expect, it } from "vitest";
import { AuthError } from "../../src/errors";
import { resolveSettings } from "../../src/provider/settings";

const noConfig = { get: () => undefined };
const settings = (env: NodeJS.ProcessEnv, config: Record<string, string> = {}) =>
  resolveSettings({ env, cwd: "/nonexistent-cwd", homeDir: "/nonexistent-home", config: { get: (k: string) => config[k] } });
const base = { OS_AUTH_URL: "https://keystone.example:5000/v3", OS_PASSWORD: "pw-1234" };

function fails(env: NodeJS.ProcessEnv): string {
  try {
    settings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return (error as Error).message;
  }
  throw new Error("expected an AuthError");
}

describe("password", () => {
  it("by names: user and project domains default to OS_DOMAIN_NAME", () => {
    const s = settings({ ...base, OS_USERNAME: "alice", OS_PROJECT_NAME: "web", OS_DOMAIN_NAME: "Corp" });
    expect(s.auth).toEqual({
      kind: "keystone",
      credentials: { method: "password", authUrl: base.OS_AUTH_URL, user: { name: "alice", domain: { name: "Corp" } }, password: "pw-1234", scope: { project: { name: "web", domain: { name: "Corp" } } } },
    });
  });

  it("by ids: no domain needed; a specific domain wins over OS_DOMAIN_*", () => {
    expect(settings({ ...base, OS_USER_ID: "u1", OS_PROJECT_ID: "p1" }).auth).toMatchObject({ credentials: { user: { id: "u1" }, scope: { project: { id: "p1" } } } });
    expect(settings({ ...base, OS_USERNAME: "a", OS_USER_DOMAIN_ID: "d-user", OS_DOMAIN_ID: "d-all", OS_PROJECT_NAME: "p" }).auth).toMatchObject({
      credentials: { user: { name: "a", domain: { id: "d-user" } }, scope: { project: { name: "p", domain: { id: "d-all" } } } },
    });
  });

  it("domain scope when a domain but no project is given", () => {
    expect(settings({ ...base, OS_USERNAME: "a", OS_USER_DOMAIN_NAME: "Default", OS_DOMAIN_NAME: "Corp" }).auth).toMatchObject({ credentials: { scope: { domain: { name: "Corp" } } } });
  });

  it("unscoped when neither is given (Keystone's default project)", () => {
    const s = settings({ ...base, OS_USER_ID: "u1" });
    expect(s.auth).toMatchObject({ kind: "keystone", credentials: { method: "password" } });
    expect(s.auth.kind === "keystone" && "scope" in s.auth.credentials).toBe(false);
  });

  it.each([
    [{ ...base, OS_USERNAME: "a", OS_PROJECT_ID: "p" }, 'user "a" is given by name, so its domain is needed: set glance:userDomainName, OS_USER_DOMAIN_NAME or clouds.yaml auth.user_domain_name'],
    [{ ...base, OS_USER_ID: "u", OS_PROJECT_NAME: "web" }, 'project "web" is given by name, so its domain is needed'],
    [{ OS_AUTH_URL: base.OS_AUTH_URL, OS_USER_ID: "u" }, "password authentication needs password; set it with glance:password, OS_PASSWORD or clouds.yaml auth.password"],
    [{ OS_PASSWORD: "pw-1234", OS_USER_ID: "u" }, "password authentication needs authUrl; set it with glance:authUrl, OS_AUTH_URL"],
    [{ ...base, OS_AUTH_TYPE: "password" }, "password authentication (or userId) needs username"],
    [{ OS_AUTH_URL: "keystone.example:5000", OS_USER_ID: "u", OS_PASSWORD: "pw-1234" }, 'OS_AUTH_URL "keystone.example:5000" must be an http(s) URL'],
  ])("incomplete: %j", (env, message) => {
    expect(fails(env)).toContain(message);
  });
});

describe("auth URL forms", () => {
  it.each([
    ["https://k:5000/v3", "https://k:5000/v3"],
    ["https://k:5000/v3/", "https://k:5000/v3"],
    ["https://k:5000", "https://k:5000/v3"],
    ["https://k/identity", "https://k/identity/v3"],
    ["https://k:5000/v2.0", "https://k:5000/v3"],
  ])("%s → %s", (url, expected) => {
    expect(settings({ OS_AUTH_URL: url, OS_USER_ID: "u", OS_PASSWORD: "pw-1234" }).auth).toMatchObject({ credentials: { authUrl: expected } });
  });
});

describe("application credentials", () => {
  it("by id; a project in the environment is not sent (they cannot request a scope)", () => {
    expect(settings({ ...base, OS_APPLICATION_CREDENTIAL_ID: "ac1", OS_APPLICATION_CREDENTIAL_SECRET: "s3cret", OS_USERNAME: "a", OS_PROJECT_NAME: "p" }).auth).toEqual({
      kind: "keystone",
      credentials: { method: "application_credential", authUrl: base.OS_AUTH_URL, credential: { id: "ac1" }, secret: "s3cret" },
    });
  });

  it("by name with the user by name and domain", () => {
    expect(settings({ ...base, OS_AUTH_TYPE: "v3applicationcredential", OS_APPLICATION_CREDENTIAL_NAME: "ci", OS_APPLICATION_CREDENTIAL_SECRET: "s3cret", OS_USERNAME: "demo", OS_USER_DOMAIN_NAME: "Default" }).auth).toMatchObject({
      credentials: { credential: { name: "ci", user: { name: "demo", domain: { name: "Default" } } } },
    });
  });

  it("by name without a user, or without a secret: says what to set", () => {
    expect(fails({ ...base, OS_APPLICATION_CREDENTIAL_NAME: "ci", OS_APPLICATION_CREDENTIAL_SECRET: "s3cret" })).toContain("an application credential given by name (or userId) needs username");
    expect(fails({ ...base, OS_APPLICATION_CREDENTIAL_ID: "ac1" })).toContain("needs applicationCredentialSecret; set it with glance:applicationCredentialSecret, OS_APPLICATION_CREDENTIAL_SECRET");
  });
});

describe("tokens and fixed endpoints", () => {
  it("an endpoint that is no http(s) URL: AuthError naming where it was set, not a raw ERR_INVALID_URL", () => {
    expect(fails({ OS_IMAGE_URL: "not a url" })).toBe('OS_IMAGE_URL "not a url" is not a URL: set it to the image endpoint, e.g. https://glance.example:9292');
    expect(fails({ OS_ENDPOINT: "http://[bad/" })).toBe('OS_ENDPOINT "http://[bad/" is not a URL: set it to the image endpoint, e.g. https://glance.example:9292');
    // `glance:9292` parses as a URL of scheme glance: — refused for its scheme.
    expect(fails({ OS_IMAGE_URL: "glance:9292" })).toBe('OS_IMAGE_URL "glance:9292" must be an http(s) URL, e.g. https://glance.example:9292 (not glance:…)');
    expect(() => settings({}, { "glance:endpoint": "glance:9292" })).toThrow(/^stack config glance:endpoint "glance:9292" must be an http\(s\) URL/);
  });

  it("an endpoint with blanks around it is taken without them", () => {
    expect(settings({ OS_IMAGE_URL: " http://glance:9292 " }).endpoint).toBe("http://glance:9292");
  });

  it("a token alone: validated with Keystone to read the catalog", () => {
    expect(settings({ OS_AUTH_URL: base.OS_AUTH_URL, OS_TOKEN: "tok-1234" }).auth).toEqual({ kind: "keystone", credentials: { method: "token", authUrl: base.OS_AUTH_URL, token: "tok-1234" } });
  });

  it("a token with a fixed endpoint: sent as-is, Keystone not needed", () => {
    expect(settings({ OS_TOKEN: "tok-1234", OS_IMAGE_URL: "http://glance:9292" })).toMatchObject({ auth: { kind: "fixed-token", token: "tok-1234" }, endpoint: "http://glance:9292" });
  });

  it("a token without auth URL or endpoint: says to set one", () => {
    expect(fails({ OS_TOKEN: "tok-1234" })).toContain("an existing token without a fixed endpoint (to read the catalog) needs authUrl");
  });

  it("only an endpoint: auth type none (no token sent); OS_ENDPOINT works too", () => {
    expect(settings({ OS_ENDPOINT: "http://glance:9292" })).toMatchObject({ auth: { kind: "none" }, endpoint: "http://glance:9292" });
  });

  it("auth type none needs an endpoint; none ignores a token", () => {
    expect(fails({ OS_AUTH_TYPE: "none" })).toContain("auth type none needs a fixed endpoint");
    expect(settings({ OS_AUTH_TYPE: "none", OS_TOKEN: "tok-1234", OS_IMAGE_URL: "http://g" }).auth).toEqual({ kind: "none" });
  });

  it("an endpoint with full credentials: credentials used, catalog skipped", () => {
    expect(settings({ ...base, OS_USER_ID: "u", OS_IMAGE_URL: "http://g" })).toMatchObject({ auth: { kind: "keystone" }, endpoint: "http://g" });
  });
});

describe("auth type, interface, insecure", () => {
  it.each([
    ["password", "password"],
    ["v3password", "password"],
    ["v3applicationcredential", "application_credential"],
    ["token", "token"],
    ["v3token", "token"],
  ])("OS_AUTH_TYPE %s", (type, method) => {
    const env = { ...base, OS_AUTH_TYPE: type, OS_USER_ID: "u", OS_TOKEN: "tok-1234", OS_APPLICATION_CREDENTIAL_ID: "ac", OS_APPLICATION_CREDENTIAL_SECRET: "s3cret" };
    expect(settings(env).auth).toMatchObject({ credentials: { method } });
  });

  it("inference: application credential > password > token", () => {
    expect(settings({ ...base, OS_USER_ID: "u", OS_TOKEN: "tok-1234" }).auth).toMatchObject({ credentials: { method: "password" } });
    expect(settings({ ...base, OS_USER_ID: "u", OS_APPLICATION_CREDENTIAL_ID: "ac", OS_APPLICATION_CREDENTIAL_SECRET: "s3cret" }).auth).toMatchObject({ credentials: { method: "application_credential" } });
  });

  it("unsupported auth types and nothing configured at all", () => {
    expect(fails({ ...base, OS_AUTH_TYPE: "v3oidcpassword" })).toBe('OS_AUTH_TYPE "v3oidcpassword" is not supported: use password, v3applicationcredential, token or none');
    expect(fails({})).toContain("no Glance credentials or endpoint configured");
  });

  it("interface: public by default, OS_INTERFACE publicURL style, glance:interface wins", () => {
    const env = { OS_IMAGE_URL: "http://g" };
    expect(settings(env).interface).toBe("public");
    expect(settings({ ...env, OS_INTERFACE: "internalURL" }).interface).toBe("internal");
    expect(settings({ ...env, OS_INTERFACE: "internal" }, { "glance:interface": "admin" }).interface).toBe("admin");
  });

  it("insecure and cacert", () => {
    expect(settings({ OS_IMAGE_URL: "http://g", OS_INSECURE: "true", OS_CACERT: "/ca.pem" })).toMatchObject({ insecure: true, cacert: "/ca.pem" });
    expect(settings({ OS_IMAGE_URL: "http://g" }, { "glance:insecure": "false" }).insecure).toBe(false);
    expect(fails({ OS_IMAGE_URL: "http://g", OS_INSECURE: "maybe" })).toBe('OS_INSECURE "maybe" is not a boolean: use true or false');
  });

  it("stack config alone is enough", () => {
    const config = { "glance:authUrl": base.OS_AUTH_URL, "glance:userId": "u", "glance:password": "cfg-pw-1", "glance:projectId": "p" };
    expect(settings({}, config).auth).toMatchObject({ credentials: { method: "password", password: "cfg-pw-1", scope: { project: { id: "p" } } } });
    expect(noConfig.get()).toBeUndefined();
  });
});
