/**
 * openSession with a fixed endpoint: auth type none sends no token, an existing token is sent as-is,
 * and the catalog comes from Keystone (answers replayed from recordings) for the region asked. Glance
 * answers are the recorded image fixture.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { AuthError } from "../../src/errors";
import { openSession, type GlanceSession, type SessionOptions } from "../../src/provider/session";
import type { GlanceV2Dialect } from "../../src/dialects/glance-v2/dialect";

/** The Glance v2 client under a session (these tests speak the v2 API directly). */
const v2 = (s: GlanceSession): GlanceV2Dialect["client"] => (s.dialect as GlanceV2Dialect).client;

const fixture = (name: string): string => readFileSync(join(__dirname, "../fixtures", name), "utf8");
const image = JSON.parse(fixture("image-active.json")) as { id: string };
const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function mock(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  return agent;
}

/** Replays the recorded image for GET /v2/images/{id} on `origin`, keeping the headers sent. */
function glance(agent: MockAgent, origin: string): Array<Record<string, string>> {
  const seen: Array<Record<string, string>> = [];
  agent
    .get(origin)
    .intercept({ path: `/v2/images/${image.id}`, method: "GET" })
    .reply((opts) => {
      seen.push(Object.fromEntries(Object.entries(opts.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])));
      return { statusCode: 200, data: fixture("image-active.json"), responseOptions: { headers: { "content-type": "application/json" } } };
    })
    .persist();
  return seen;
}

const options = (env: NodeJS.ProcessEnv, agent: MockAgent): SessionOptions => ({ env, dispatcher: agent, cwd: "/nonexistent", homeDir: "/nonexistent", config: { get: () => undefined } });

describe("openSession", () => {
  it("auth type none with a fixed endpoint: no X-Auth-Token at all", async () => {
    const agent = mock();
    const seen = glance(agent, "http://glance.test:9292");
    const s = await openSession(undefined, options({ OS_IMAGE_URL: "http://glance.test:9292/v2" }, agent));
    expect(s.endpoint).toBe("http://glance.test:9292");
    await v2(s).images.get(image.id);
    await s.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toHaveProperty("x-auth-token");
  });

  it("an existing token with a fixed endpoint: sent as-is, Keystone not asked", async () => {
    const agent = mock();
    const seen = glance(agent, "http://glance.test:9292");
    const s = await openSession(undefined, options({ OS_IMAGE_URL: "http://glance.test:9292", OS_TOKEN: "gAAAA-existing-token", OS_AUTH_URL: "http://keystone.test:5000/v3" }, agent));
    await v2(s).images.get(image.id);
    await s.close();
    expect(seen[0]?.["x-auth-token"]).toBe("gAAAA-existing-token");
  });

  it("an existing token without endpoint: the catalog of GET /v3/auth/tokens, the region passed winning over OS_REGION_NAME", async () => {
    const validate = JSON.parse(fixture("keystone-token-validate.json")) as { status: number; headers: Record<string, string>; body: { token: { catalog: Array<{ type: string; endpoints: Array<{ region_id: string; url: string }> }> } } };
    const two = validate.body.token.catalog.find((s) => s.type === "image")?.endpoints.find((e) => e.region_id === "RegionTwo")?.url ?? "";
    const recordedKeystone = "http://127.0.0.1:39613";
    const agent = mock();
    agent.get(recordedKeystone).intercept({ path: "/v3/auth/tokens", method: "GET" }).reply(validate.status, JSON.stringify(validate.body), { headers: validate.headers });
    const seen = glance(agent, two);
    const s = await openSession("RegionTwo", options({ OS_AUTH_URL: `${recordedKeystone}/v3`, OS_TOKEN: "token-value-for-catalog", OS_REGION_NAME: "RegionOne" }, agent));
    expect(s.endpoint).toBe(two);
    await v2(s).images.get(image.id);
    await s.close();
    expect(seen[0]?.["x-auth-token"]).toBe("token-value-for-catalog");
  });

  it("an endpoint from state that is no URL: AuthError naming the state, before any request", async () => {
    const agent = mock();
    const error = await openSession(undefined, { ...options({ OS_IMAGE_URL: "http://glance.test:9292" }, agent), endpoint: "glance:9292" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe(`the endpoint recorded in the image's state "glance:9292" must be an http(s) URL, e.g. https://glance.example:9292 (not glance:…)`);
  });

  it("a catalog whose image endpoint is no URL: AuthError naming the catalog entry (the recorded token, its RegionTwo URL re-registered as glance:9292)", async () => {
    const validate = JSON.parse(fixture("keystone-token-validate.json")) as { status: number; headers: Record<string, string>; body: { token: { catalog: Array<{ type: string; endpoints: Array<{ region_id: string; url: string }> }> } } };
    for (const e of validate.body.token.catalog.find((s) => s.type === "image")?.endpoints ?? []) if (e.region_id === "RegionTwo") e.url = "glance:9292";
    const recordedKeystone = "http://127.0.0.1:39613";
    const agent = mock();
    agent.get(recordedKeystone).intercept({ path: "/v3/auth/tokens", method: "GET" }).reply(validate.status, JSON.stringify(validate.body), { headers: validate.headers });
    const error = await openSession("RegionTwo", options({ OS_AUTH_URL: `${recordedKeystone}/v3`, OS_TOKEN: "token-value-for-bad-catalog" }, agent)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe(`the service catalog's image endpoint (interface public, region RegionTwo) "glance:9292" must be an http(s) URL, e.g. https://glance.example:9292 (not glance:…)`);
  });

  it("an unreadable CA bundle: AuthError naming the file and where it was set", async () => {
    const agent = mock();
    const error = await openSession(undefined, options({ OS_IMAGE_URL: "https://glance.test", OS_CACERT: "/nonexistent/ca.pem" }, agent)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toBe("cannot read the CA bundle /nonexistent/ca.pem (from OS_CACERT): ENOENT");
  });
});
