/**
 * Which image API is spoken: glance:apiVersion > OS_IMAGE_API_VERSION > clouds.yaml image_api_version
 * (the openstack CLI's "2"/"1" accepted), default v2; `auto` reads the version document at the endpoint's
 * root, answered here with the bodies real Glances gave (`GET /` on Zed and on Glance 33, recorded from
 * the local servers into test/fixtures/versions-root-*.json), once per endpoint and process.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { apiOfEndpoint, chooseApiVersion, endpointRoot, parseApiVersion } from "../../src/dialects/api-version";
import { capabilitiesOf, createDialect } from "../../src/dialects/registry";
import { GlanceError } from "../../src/errors";
import { openSession, type SessionOptions } from "../../src/provider/session";
import { resolveSettings, type SettingsSources } from "../../src/provider/settings";

const fixture = (name: string): string => readFileSync(join(__dirname, "../fixtures", name), "utf8");
const dirs: string[] = [];
const agents: MockAgent[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

/** Sources with a clouds.yaml entry `c` in a temp cwd, the given env and stack config. */
function sources(env: NodeJS.ProcessEnv, config: Record<string, string> = {}, clouds?: string): SettingsSources {
  const root = mkdtempSync(join(tmpdir(), "api-version-test-"));
  dirs.push(root);
  mkdirSync(join(root, "home"));
  if (clouds !== undefined) writeFileSync(join(root, "clouds.yaml"), `clouds:\n  c:\n    image_endpoint_override: http://glance.test:9292\n${clouds}`);
  return { env: { ...(clouds === undefined ? {} : { OS_CLOUD: "c" }), ...env }, cwd: root, homeDir: join(root, "home"), config: { get: (key: string) => config[key] } };
}

describe("glance:apiVersion: precedence and values", () => {
  it.each([
    ["nothing set: v2", {}, {}, undefined, "v2", undefined],
    ["clouds.yaml image_api_version 1 (a number, as the CLI writes it)", {}, {}, "    image_api_version: 1\n", "v1", 'clouds.yaml cloud "c" image_api_version'],
    ["clouds.yaml '2'", {}, {}, "    image_api_version: '2'\n", "v2", 'clouds.yaml cloud "c" image_api_version'],
    ["OS_IMAGE_API_VERSION over clouds.yaml", { OS_IMAGE_API_VERSION: "2" }, {}, "    image_api_version: 1\n", "v2", "OS_IMAGE_API_VERSION"],
    ["stack config over OS_IMAGE_API_VERSION", { OS_IMAGE_API_VERSION: "1" }, { "glance:apiVersion": "auto" }, undefined, "auto", "stack config glance:apiVersion"],
    ["v1.1 is v1", { OS_IMAGE_API_VERSION: "v1.1" }, {}, undefined, "v1", "OS_IMAGE_API_VERSION"],
    ["2.15 is v2", { OS_IMAGE_API_VERSION: "2.15" }, {}, undefined, "v2", "OS_IMAGE_API_VERSION"],
  ])("%s", (_name, env, config, clouds, expected, origin) => {
    const settings = resolveSettings(sources({ OS_IMAGE_URL: "http://glance.test:9292", ...env }, config, clouds));
    expect(settings.apiVersion).toBe(expected);
    expect(settings.origins.apiVersion).toBe(origin);
  });

  it("an unknown version is refused naming where it was set", () => {
    expect(() => resolveSettings(sources({ OS_IMAGE_URL: "http://g:9292", OS_IMAGE_API_VERSION: "3" }))).toThrow(new GlanceError('OS_IMAGE_API_VERSION "3" is not an image API version: use v2, v1, vendor-htaiyun or auto'));
    expect(() => parseApiVersion("two", "stack config glance:apiVersion")).toThrow(/^stack config glance:apiVersion "two" is not an image API version/);
  });
});

describe("the version document (auto)", () => {
  it.each([
    ["Zed (v2.15 CURRENT)", "versions-root-zed.json"],
    ["Glance 33 (v2.17 CURRENT, not first in the list)", "versions-root-newest.json"],
  ])("%s: v2", (_name, file) => {
    expect(chooseApiVersion(JSON.parse(fixture(file)))).toBe("v2");
  });

  it("a body that is no version document chooses nothing", () => {
    expect(chooseApiVersion({ error: "x" })).toBeUndefined();
    expect(chooseApiVersion(null)).toBeUndefined();
  });

  it("the document is read at the endpoint's root, without the catalog's version suffix", () => {
    expect([endpointRoot("http://g:9292/v2"), endpointRoot("http://g:9292/v2.1/"), endpointRoot("https://cloud/image/v1"), endpointRoot("http://g:9292")]).toEqual([
      "http://g:9292",
      "http://g:9292",
      "https://cloud/image",
      "http://g:9292",
    ]);
  });

  it("an endpoint that names its version (a catalog's /v1, /v2.15) names the API; an unversioned one does not", () => {
    expect(["http://g:9292/v1", "http://g:9292/v1.1/", "https://cloud/image/v2", "http://g:9292/v2.15", "http://g:9292", "http://g:9292/v3", "http://g:9292/v1x"].map(apiOfEndpoint)).toEqual([
      "v1",
      "v1",
      "v2",
      "v2",
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("auto with an endpoint catalogued as /v1: the session speaks v1 without asking the server anything", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect(); // and no intercepts: any request would fail the session
    agents.push(agent);
    const s = await openSession(undefined, { ...sources({ OS_IMAGE_URL: "http://versioned.test:9292/v1" }, { "glance:apiVersion": "auto" }), dispatcher: agent });
    expect([s.dialect.api, s.endpoint]).toEqual(["v1", "http://versioned.test:9292"]);
    await s.close();
  });

  it("auto: a session asks GET / once per endpoint (Glance answers 300) and speaks v2", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agents.push(agent);
    let asked = 0;
    agent
      .get("http://auto.test:9292")
      .intercept({ path: "/", method: "GET" })
      .reply(() => {
        asked += 1;
        return { statusCode: 300, data: fixture("versions-root-zed.json"), responseOptions: { headers: { "content-type": "application/json" } } };
      })
      .persist();
    const options: SessionOptions = { ...sources({ OS_IMAGE_URL: "http://auto.test:9292/" }, { "glance:apiVersion": "auto" }), dispatcher: agent };
    for (let i = 0; i < 2; i += 1) {
      const s = await openSession(undefined, options);
      expect(s.dialect.api).toBe("v2");
      expect(s.endpoint).toBe("http://auto.test:9292");
      await s.close();
    }
    expect(asked).toBe(1);
  });
});

describe("the registry", () => {
  it("v2 is registered with its capabilities", () => {
    expect(capabilitiesOf("v2")).toMatchObject({ label: "Glance v2", tags: true, hidden: true, webDownload: true, verifiedBy: "multihash" });
  });

  it("v1 is registered with its capabilities, and builds a Glance v1 dialect", async () => {
    expect(capabilitiesOf("v1")).toMatchObject({ label: "Glance v1", tags: false, hidden: false, verifiedBy: "md5", visibilities: ["public", "private"] });
    const dialect = createDialect("v1", { endpoint: "http://g:9292/v1" }, "OS_IMAGE_API_VERSION");
    expect([dialect.api, dialect.endpoint]).toEqual(["v1", "http://g:9292"]);
    await dialect.close();
  });
});
