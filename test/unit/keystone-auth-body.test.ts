/**
 * The bodies of POST /v3/auth/tokens, compared with request bodies that the real Keystone accepted
 * (or, for the domain scope and the scoped application credential, answered) when the fixtures were
 * recorded.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAuthBody } from "../../src/keystone/auth-body";

interface Recorded {
  request: { body: unknown };
  status: number;
}
const recorded = (name: string): Recorded => JSON.parse(readFileSync(join(__dirname, "../fixtures", name), "utf8")) as Recorded;
const authUrl = "http://127.0.0.1:5000/v3";

describe("password", () => {
  it("user and project by name, each with a domain by name: the body Keystone issued a token for", () => {
    const fixture = recorded("keystone-token-password-project.json");
    expect(fixture.status).toBe(201);
    const body = buildAuthBody({
      method: "password",
      authUrl,
      user: { name: "admin", domain: { name: "Default" } },
      password: "REDACTED-PASSWORD",
      scope: { project: { name: "admin", domain: { name: "Default" } } },
    });
    expect(body).toEqual(fixture.request.body);
  });

  it("domain scope: the recorded body (Keystone refused it only because admin has no role on the domain)", () => {
    const fixture = recorded("keystone-error-401-domain-scope.json");
    const body = buildAuthBody({ method: "password", authUrl, user: { name: "admin", domain: { name: "Default" } }, password: "REDACTED-PASSWORD", scope: { domain: { name: "Default" } } });
    expect(body).toEqual(fixture.request.body);
  });

  it("user and project by id, domains by id", () => {
    expect(buildAuthBody({ method: "password", authUrl, user: { id: "u1" }, password: "pw", scope: { project: { id: "p1" } } })).toEqual({
      auth: { identity: { methods: ["password"], password: { user: { id: "u1", password: "pw" } } }, scope: { project: { id: "p1" } } },
    });
    expect(buildAuthBody({ method: "password", authUrl, user: { name: "u", domain: { id: "default" } }, password: "pw", scope: { project: { name: "p", domain: { id: "d2" } } } })).toEqual({
      auth: {
        identity: { methods: ["password"], password: { user: { name: "u", domain: { id: "default" }, password: "pw" } } },
        scope: { project: { name: "p", domain: { id: "d2" } } },
      },
    });
  });

  it("no scope: no scope member at all (Keystone then uses the default project)", () => {
    const body = buildAuthBody({ method: "password", authUrl, user: { id: "u1" }, password: "pw" });
    expect(body.auth).not.toHaveProperty("scope");
  });
});

describe("application credential", () => {
  it("by id: the body Keystone issued a token for", () => {
    const fixture = recorded("keystone-token-application-credential.json");
    expect(fixture.status).toBe(201);
    // The credential's id is Keystone's own (made by scripts/record-keystone-fixtures.sh); the secret is masked.
    const id = (fixture.request.body as { auth: { identity: { application_credential: { id: string } } } }).auth.identity.application_credential.id;
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const body = buildAuthBody({ method: "application_credential", authUrl, credential: { id }, secret: "REDACTED-APPCRED-SECRET" });
    expect(body).toEqual(fixture.request.body);
  });

  it("never carries a scope: Keystone refuses one", () => {
    const refused = recorded("keystone-error-401-appcred-scope.json");
    expect(JSON.stringify(refused.request.body)).toContain('"scope"');
    const body = buildAuthBody({ method: "application_credential", authUrl, credential: { id: "x" }, secret: "s3cret" });
    expect(JSON.stringify(body)).not.toContain("scope");
  });

  it("by name, with its user by name and domain", () => {
    expect(buildAuthBody({ method: "application_credential", authUrl, credential: { name: "ci", user: { name: "demo", domain: { name: "Default" } } }, secret: "s3cret" })).toEqual({
      auth: { identity: { methods: ["application_credential"], application_credential: { name: "ci", user: { name: "demo", domain: { name: "Default" } }, secret: "s3cret" } } },
    });
  });
});
