/**
 * authenticate() against recorded Keystone answers, replayed by undici's MockAgent: the token and
 * catalog are read from a success, and each recorded refusal becomes an AuthError that names what to
 * check, quotes Keystone, and never contains the secret.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { AuthError } from "../../src/errors";
import { authenticate } from "../../src/keystone/authenticate";
import type { Credentials } from "../../src/keystone/credentials";

interface Recorded {
  request: { method: string; path: string; body?: unknown };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
const recorded = (name: string): Recorded => JSON.parse(readFileSync(join(__dirname, "../fixtures", name), "utf8")) as Recorded;
const ORIGIN = "http://127.0.0.1:39613";
const authUrl = `${ORIGIN}/v3`;
const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

/** A MockAgent that answers the fixture's request with the fixture's answer and keeps the body it got. */
function replay(fixture: Recorded): { agent: MockAgent; sent: { body?: unknown; headers?: Record<string, string> } } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const sent: { body?: unknown; headers?: Record<string, string> } = {};
  agent
    .get(ORIGIN)
    .intercept({ path: fixture.request.path, method: fixture.request.method })
    .reply((opts) => {
      if (typeof opts.body === "string") sent.body = JSON.parse(opts.body);
      sent.headers = Object.fromEntries(Object.entries(opts.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
      return { statusCode: fixture.status, data: JSON.stringify(fixture.body), responseOptions: { headers: fixture.headers } };
    });
  return { agent, sent };
}

const password = (pw: string, project = "admin", user = "admin"): Credentials => ({
  method: "password",
  authUrl,
  user: { name: user, domain: { name: "Default" } },
  password: pw,
  scope: { project: { name: project, domain: { name: "Default" } } },
});

async function refusal(fixture: string, credentials: Credentials): Promise<AuthError> {
  const { agent } = replay(recorded(fixture));
  const origins = { authUrl: "OS_AUTH_URL", username: "OS_USERNAME", password: "OS_PASSWORD", projectName: "OS_PROJECT_NAME" };
  const error = await authenticate(credentials, { dispatcher: agent, origins }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe("authenticate", () => {
  it("password: posts the body, reads X-Subject-Token, expiry and catalog", async () => {
    const fixture = recorded("keystone-token-password-project.json");
    const { agent, sent } = replay(fixture);
    const issued = await authenticate(password("REDACTED-PASSWORD"), { dispatcher: agent });
    expect(sent.body).toEqual(fixture.request.body);
    expect(issued.token).toBe("REDACTED-TOKEN-1");
    expect(issued.catalog.find((s) => s.type === "image")?.endpoints).toHaveLength(6);
    expect(issued.project?.name).toBe("admin");
  });

  it("an existing token: GET /v3/auth/tokens with the token as X-Auth-Token and X-Subject-Token", async () => {
    const { agent, sent } = replay(recorded("keystone-token-validate.json"));
    const issued = await authenticate({ method: "token", authUrl, token: "REDACTED-TOKEN-1" }, { dispatcher: agent });
    expect(sent.headers?.["x-auth-token"]).toBe("REDACTED-TOKEN-1");
    expect(sent.headers?.["x-subject-token"]).toBe("REDACTED-TOKEN-1");
    expect(issued.token).toBe("REDACTED-TOKEN-1");
    expect(issued.catalog.map((s) => s.type)).toContain("image");
  });

  it("wrong password: what to check, where each setting came from, Keystone's message; no password", async () => {
    const error = await refusal("keystone-error-401-password.json", password("wrong-password-xyz"));
    expect(error.message).toContain(`Keystone at ${authUrl} refused the password authentication of user admin in domain Default, scoped to project admin in domain Default: 401 "The request you have made requires authentication." (request req-`);
    expect(error.message).toContain("Check the auth URL (OS_AUTH_URL), the user (OS_USERNAME) and its domain, the password (OS_PASSWORD), the project (OS_PROJECT_NAME) and its domain");
    expect(error.message).not.toContain("wrong-password-xyz");
  });

  it.each([
    ["keystone-error-401-project.json", password("pw-for-unknown-project", "no-such-project"), "scoped to project no-such-project"],
    ["keystone-error-401-user.json", password("whatever-pw", "admin", "nobody"), "user nobody in domain Default"],
    ["keystone-error-401-domain-scope.json", { method: "password", authUrl, user: { name: "admin", domain: { name: "Default" } }, password: "domain-pw-1", scope: { domain: { name: "Default" } } } as Credentials, "scoped to domain Default"],
  ])("%s: names the identity, not the secret", async (fixture, credentials, names) => {
    const error = await refusal(fixture, credentials);
    expect(error.message).toContain(names);
    expect(error.message).not.toContain((credentials as { password: string }).password);
  });

  it("an application credential with a scope: Keystone's own reason is quoted", async () => {
    const fixture = recorded("keystone-error-401-appcred-scope.json");
    const id = (fixture.request.body as { auth: { identity: { application_credential: { id: string } } } }).auth.identity.application_credential.id;
    const error = await refusal("keystone-error-401-appcred-scope.json", { method: "application_credential", authUrl, credential: { id }, secret: "REDACTED-APPCRED-SECRET" });
    expect(error.message).toContain("Application credentials cannot request a scope.");
    expect(error.message).toContain(`application credential id ${id}`);
    expect(error.message).not.toContain("REDACTED-APPCRED-SECRET");
  });

  it("a revoked existing token: 404 from Keystone becomes an AuthError saying to get a new one", async () => {
    const error = await refusal("keystone-error-404-revoked-token.json", { method: "token", authUrl, token: "revoked-token-value" });
    expect(error.message).toContain('refused the existing token with 404 "Failed to validate token" (request req-');
    expect(error.message).toContain("get a new one");
    expect(error.message).not.toContain("revoked-token-value");
  });

  it("an unreachable Keystone: says so and names the auth URL", async () => {
    const closed = await authenticate({ ...password("pw-unreachable"), authUrl: "http://127.0.0.1:9/v3" }, { origins: { authUrl: "OS_AUTH_URL" } }).catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(AuthError);
    expect((closed as AuthError).message).toMatch(/^cannot reach Keystone at http:\/\/127\.0\.0\.1:9\/v3 .*check the auth URL \(OS_AUTH_URL\)/);
  });
});
