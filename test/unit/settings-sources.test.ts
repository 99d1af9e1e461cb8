/**
 * Settings sources and their precedence: stack config `glance:*` > `OS_*` environment > the
 * clouds.yaml entry chosen by glance:cloud / OS_CLOUD, merged with secure.yaml, found on the standard
 * search paths. Every case runs in its own temp dir as cwd, home and XDG_CONFIG_HOME.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuthError } from "../../src/errors";
import { candidateFiles } from "../../src/keystone/clouds-yaml";
import { readFields, resolveSettings, type SettingsSources } from "../../src/provider/settings";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp tree: `cwd/`, `home/`, `xdg/`, `explicit/`, each empty until written to. */
function tree() {
  const root = mkdtempSync(join(tmpdir(), "settings-test-"));
  dirs.push(root);
  const at = (...parts: string[]): string => join(root, ...parts);
  for (const d of ["cwd", "home", "xdg"]) mkdirSync(at(d), { recursive: true });
  const write = (path: string, text: string): string => {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const sources = (env: NodeJS.ProcessEnv, config: Record<string, string> = {}): SettingsSources => ({
    env,
    cwd: at("cwd"),
    homeDir: at("home"),
    config: { get: (key: string) => config[key] },
  });
  return { at, write, sources };
}

const CLOUDS = `
clouds:
  lab:
    auth:
      auth_url: http://keystone.lab:5000/v3
      username: alice
      project_name: web
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    interface: internal
  other:
    auth:
      auth_url: http://keystone.other:5000
      application_credential_id: ac-id
      application_credential_secret: ac-secret-from-clouds
    auth_type: v3applicationcredential
    region_name: RegionTwo
    verify: false
`;
const SECURE = `
clouds:
  lab:
    auth:
      password: pw-from-secure-yaml
`;

describe("precedence: config > env > clouds.yaml", () => {
  it.each([
    ["clouds.yaml only", {}, {}, { region: "RegionOne", username: "alice", interface: "internal" }, { region: 'clouds.yaml cloud "lab" region_name' }],
    ["env over clouds.yaml", { OS_REGION_NAME: "RegionTwo", OS_USERNAME: "bob" }, {}, { region: "RegionTwo", username: "bob", projectName: "web" }, { region: "OS_REGION_NAME", username: "OS_USERNAME" }],
    ["config over env", { OS_REGION_NAME: "RegionTwo" }, { "glance:region": "RegionThree", "glance:interface": "admin" }, { region: "RegionThree", interface: "admin" }, { region: "stack config glance:region" }],
    ["empty values do not count", { OS_REGION_NAME: "" }, { "glance:region": "" }, { region: "RegionOne" }, {}],
    ["legacy OS_TENANT_NAME", { OS_TENANT_NAME: "legacy" }, {}, { projectName: "legacy" }, { projectName: "OS_TENANT_NAME" }],
    ["OS_PROJECT_NAME over OS_TENANT_NAME", { OS_TENANT_NAME: "legacy", OS_PROJECT_NAME: "modern" }, {}, { projectName: "modern" }, {}],
  ])("%s", (_name, env, config, expected, origins) => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS);
    t.write(t.at("cwd", "secure.yaml"), SECURE);
    const read = readFields(t.sources({ OS_CLOUD: "lab", ...env }, config));
    expect(read.fields).toMatchObject(expected);
    expect(read.origins).toMatchObject(origins);
    expect(read.cloud).toBe("lab");
  });

  it("secure.yaml is merged into the entry (and wins over clouds.yaml)", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS.replace("username: alice", "username: alice\n      password: stale-pw"));
    t.write(t.at("cwd", "secure.yaml"), SECURE);
    const { fields } = readFields(t.sources({ OS_CLOUD: "lab" }));
    expect(fields).toMatchObject({ password: "pw-from-secure-yaml", username: "alice", authUrl: "http://keystone.lab:5000/v3" });
  });

  it("glance:cloud selects the entry over OS_CLOUD; verify: false means insecure; auth_type is read", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS);
    const settings = resolveSettings(t.sources({ OS_CLOUD: "lab" }, { "glance:cloud": "other" }));
    expect(settings.auth).toEqual({
      kind: "keystone",
      credentials: { method: "application_credential", authUrl: "http://keystone.other:5000/v3", credential: { id: "ac-id" }, secret: "ac-secret-from-clouds" },
    });
    expect(settings).toMatchObject({ region: "RegionTwo", insecure: true, interface: "public" });
  });

  it("without glance:cloud or OS_CLOUD, clouds.yaml is not read", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS);
    expect(readFields(t.sources({ OS_IMAGE_URL: "http://glance:9292" })).fields).toEqual({ endpoint: "http://glance:9292" });
  });

  it("image_endpoint_override, cacert, regions list", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), "clouds:\n  e:\n    image_endpoint_override: http://glance.lab:9292\n    cacert: /etc/ssl/lab.pem\n    regions: [North, South]\n");
    const settings = resolveSettings(t.sources({ OS_CLOUD: "e" }));
    expect(settings).toMatchObject({ endpoint: "http://glance.lab:9292", cacert: "/etc/ssl/lab.pem", region: "North", auth: { kind: "none" }, insecure: false });
  });
});

describe("search paths", () => {
  const entry = (region: string): string => `clouds:\n  c:\n    region_name: ${region}\n    image_endpoint_override: http://g:9292\n`;
  const regionFrom = (t: ReturnType<typeof tree>, env: NodeJS.ProcessEnv): string | undefined => readFields(t.sources({ OS_CLOUD: "c", ...env })).fields.region;

  it("OS_CLIENT_CONFIG_FILE, then ./clouds.yaml, then $XDG_CONFIG_HOME/openstack, then ~/.config/openstack", () => {
    const t = tree();
    const env = { OS_CLIENT_CONFIG_FILE: t.at("explicit", "my-clouds.yaml"), XDG_CONFIG_HOME: t.at("xdg") };
    t.write(t.at("home", ".config", "openstack", "clouds.yaml"), entry("home"));
    expect(regionFrom(t, {})).toBe("home");
    // with XDG_CONFIG_HOME set, it replaces ~/.config
    expect(() => regionFrom(t, env)).toThrow(/no clouds\.yaml was found/);
    t.write(t.at("xdg", "openstack", "clouds.yaml"), entry("xdg"));
    expect(regionFrom(t, env)).toBe("xdg");
    t.write(t.at("cwd", "clouds.yml"), entry("cwd"));
    expect(regionFrom(t, env)).toBe("cwd");
    t.write(t.at("explicit", "my-clouds.yaml"), entry("explicit"));
    expect(regionFrom(t, env)).toBe("explicit");
  });

  it("the candidate list, in order", () => {
    const t = tree();
    const files = candidateFiles("secure", { env: { OS_CLIENT_SECURE_FILE: "/x/s.yaml" }, cwd: t.at("cwd"), homeDir: t.at("home") });
    expect(files[0]).toBe("/x/s.yaml");
    expect(files).toContain(t.at("cwd", "secure.yaml"));
    expect(files.indexOf(t.at("cwd", "secure.yaml"))).toBeLessThan(files.indexOf(t.at("home", ".config", "openstack", "secure.yaml")));
    expect(files.at(-3)).toBe("/etc/openstack/secure.yaml");
  });

  it("secure.yaml is found on its own path (OS_CLIENT_SECURE_FILE) independently of clouds.yaml", () => {
    const t = tree();
    t.write(t.at("xdg", "openstack", "clouds.yaml"), CLOUDS);
    t.write(t.at("explicit", "sec.yaml"), SECURE);
    const { fields } = readFields(t.sources({ OS_CLOUD: "lab", XDG_CONFIG_HOME: t.at("xdg"), OS_CLIENT_SECURE_FILE: t.at("explicit", "sec.yaml") }));
    expect(fields.password).toBe("pw-from-secure-yaml");
  });
});

describe("clouds.yaml errors", () => {
  const fails = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(AuthError);
      return (error as Error).message;
    }
    throw new Error("expected an AuthError");
  };

  it("an unknown cloud: lists the ones in the file", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS);
    expect(fails(() => readFields(t.sources({ OS_CLOUD: "prod" })))).toBe(`cloud "prod" (glance:cloud or OS_CLOUD) is not in ${t.at("cwd", "clouds.yaml")}; it has: lab, other`);
  });

  it("no clouds.yaml anywhere: lists where it looked", () => {
    const t = tree();
    const message = fails(() => readFields(t.sources({ OS_CLOUD: "prod", XDG_CONFIG_HOME: t.at("xdg") })));
    expect(message).toContain('cloud "prod" is selected (glance:cloud or OS_CLOUD) but no clouds.yaml was found; looked in: ');
    expect(message).toContain(t.at("xdg", "openstack", "clouds.yaml"));
  });

  it("invalid YAML: the position, never the offending line (it may hold a password)", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), 'clouds:\n  lab:\n    auth:\n      password: "unterminated-secret-pw\n');
    const message = fails(() => readFields(t.sources({ OS_CLOUD: "lab" })));
    expect(message).toMatch(/clouds\.yaml is not valid YAML \([A-Z_]+ at line \d+, column \d+\)$/);
    expect(message).not.toContain("unterminated-secret-pw");
  });
});

describe("a resource's own cloud (the `cloud` input)", () => {
  it("its entry alone gives identity and location: the stack's cloud, OS_* and glance:* values of those fields are not used", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS);
    t.write(t.at("cwd", "secure.yaml"), SECURE);
    const env = { OS_CLOUD: "other", OS_USERNAME: "bob", OS_PASSWORD: "bobs-pw", OS_REGION_NAME: "RegionNine", OS_IMAGE_URL: "http://elsewhere:9292" };
    const config = { "glance:projectName": "stack-project", "glance:interface": "admin", "glance:cloud": "other" };
    const read = readFields({ ...t.sources(env, config), cloud: "lab" });
    expect(read.cloud).toBe("lab");
    expect(read.fields).toEqual({
      authUrl: "http://keystone.lab:5000/v3", username: "alice", password: "pw-from-secure-yaml", projectName: "web",
      userDomainName: "Default", projectDomainName: "Default", region: "RegionOne", interface: "internal",
    });
    expect(read.origins).toMatchObject({ username: 'clouds.yaml cloud "lab" auth.username', password: 'clouds.yaml cloud "lab" auth.password', region: 'clouds.yaml cloud "lab" region_name' });
    const settings = resolveSettings({ ...t.sources(env, config), cloud: "lab" });
    expect(settings.auth).toMatchObject({ kind: "keystone", credentials: { method: "password", authUrl: "http://keystone.lab:5000/v3" } });
    expect(settings.endpoint).toBeUndefined();
  });

  it("the provider's tuning still follows config > env > entry", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS.replace("    interface: internal", "    interface: internal\n    connect_timeout: 7\n    api_timeout: 11"));
    t.write(t.at("cwd", "secure.yaml"), SECURE);
    const settings = resolveSettings({ ...t.sources({ PULUMI_GLANCE_IDLE_TIMEOUT: "13", PULUMI_GLANCE_RETRY_BUDGET: "5" }, { "glance:retryBudgetSeconds": "9" }), cloud: "lab" });
    expect(settings.timeouts).toEqual({ connectMs: 7000, idleMs: 13000 });
    expect(settings.retryBudgetMs).toBe(9000);
  });

  it("an empty cloud is no cloud: the stack's settings apply", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS);
    expect(readFields({ ...t.sources({ OS_CLOUD: "lab", OS_USERNAME: "bob" }), cloud: "" }).fields).toMatchObject({ username: "bob", region: "RegionOne" });
  });

  it("an unknown entry names the input that chose it", () => {
    const t = tree();
    t.write(t.at("cwd", "clouds.yaml"), CLOUDS);
    expect(() => readFields({ ...t.sources({ OS_CLOUD: "lab" }), cloud: "prod" })).toThrow(`cloud "prod" (the resource's cloud input) is not in ${t.at("cwd", "clouds.yaml")}; it has: lab, other`);
  });
});
