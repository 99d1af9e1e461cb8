/**
 * Sessions against a real Keystone and two real Glances (RegionOne, RegionTwo), started by this file
 * (scripts/glance-local.sh, GLANCE_AUTH=keystone GLANCE_REGIONS=2) since `npm test` runs a noauth one.
 * Every auth method creates and deletes an image; the demo (member) user is refused public images;
 * clouds.yaml + secure.yaml via OS_CLOUD; one session per region; wrong credentials; token reuse,
 * single-flight and re-authentication after a revoked token, observed on the wire through an
 * injected dispatcher; and no secret in any error produced.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Agent, request, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, HttpError, isHttpStatus } from "../../src/errors";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import { clearTokenCache } from "../../src/keystone/token-cache";
import { openSession, type GlanceSession, type SessionOptions } from "../../src/provider/session";
import type { GlanceV2Dialect } from "../../src/dialects/glance-v2/dialect";
import { DEFAULTS } from "../../src/provider/check";
import { createImage } from "../../src/provider/create";
import type { ImageInputs } from "../../src/provider/inputs";
import { startFaultProxy } from "../helpers/fault-proxy";

/** The Glance v2 client under a session (these tests speak the v2 API directly). */
const v2 = (s: GlanceSession): GlanceV2Dialect["client"] => (s.dialect as GlanceV2Dialect).client;

/** The inputs `check` would produce for a raw image. */
const CREATE_DEFAULTS: ImageInputs = { ...DEFAULTS, name: "", diskFormat: "raw", createTimeoutSeconds: 300 };

const root = resolve(__dirname, "../..");
const prefix = `itest-keystone-${Date.now().toString(36)}`;
let lab: Record<string, string> = {};
let tmp = "";
let adminToken = "";
let demoAppCred = { id: "", name: "", secret: "" };
const ids = { adminUser: "", adminProject: "", demoProject: "" };
/** Every password, secret and token this file handles: none may appear in an error. */
const secrets = new Set<string>();
/** Every error produced by the code under test, scanned at the end. */
const produced: unknown[] = [];

/** A Keystone call of the test itself (setup, revocation), with the admin token. */
async function keystone(method: "GET" | "POST" | "DELETE", path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ headers: Record<string, unknown>; json: unknown }> {
  // Connection: close, so that no idle keep-alive connection holds one of the lab Keystone's two uwsgi workers
  const res = await request(`${lab["OS_AUTH_URL"]}${path}`, {
    method,
    headers: { connection: "close", "content-type": "application/json", accept: "application/json", ...(adminToken === "" ? {} : { "x-auth-token": adminToken }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`keystone ${method} ${path}: ${res.statusCode} ${text}`);
  return { headers: res.headers, json: text === "" ? undefined : JSON.parse(text) };
}

async function passwordToken(user: string, password: string, project: string): Promise<{ token: string; body: { token: { user: { id: string }; project: { id: string } } } }> {
  const res = await keystone("POST", "/auth/tokens", {
    auth: { identity: { methods: ["password"], password: { user: { name: user, domain: { name: "Default" }, password } } }, scope: { project: { name: project, domain: { name: "Default" } } } },
  });
  const token = String(res.headers["x-subject-token"] ?? "");
  secrets.add(token);
  return { token, body: res.json as never };
}

beforeAll(async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, GLANCE_AUTH: "keystone", GLANCE_REGIONS: "2" };
  for (const k of ["GLANCE_PORT", "KEYSTONE_PORT", "GLANCE_LOCAL_STATE"]) delete env[k];
  const { stdout } = await promisify(execFile)("bash", [join(root, "scripts/glance-local.sh"), "start"], { env, cwd: root });
  lab = Object.fromEntries(
    [...stdout.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1] ?? "", (m[2] ?? "").replace(/^'(.*)'$/, "$1").replace(/\\(.)/g, "$1")]),
  );
  for (const k of ["OS_PASSWORD", "GLANCE_LOCAL_DEMO_PASSWORD"]) secrets.add(lab[k] ?? "");
  const admin = await passwordToken("admin", lab["OS_PASSWORD"] ?? "", "admin");
  adminToken = admin.token;
  ids.adminUser = admin.body.token.user.id;
  ids.adminProject = admin.body.token.project.id;
  const demo = await passwordToken("demo", lab["GLANCE_LOCAL_DEMO_PASSWORD"] ?? "", "demo");
  ids.demoProject = demo.body.token.project.id;
  const name = `${prefix}-ac`;
  // member and reader: Glance 33's default policies ask for reader to list or read images, and an
  // application credential's token carries only the roles it names (no implied ones).
  const res = await keystone("POST", `/users/${demo.body.token.user.id}/application_credentials`, { application_credential: { name, roles: [{ name: "member" }, { name: "reader" }] } }, { "x-auth-token": demo.token });
  const ac = (res.json as { application_credential: { id: string; secret: string } }).application_credential;
  demoAppCred = { id: ac.id, name, secret: ac.secret };
  secrets.add(ac.secret);
  tmp = mkdtempSync(join(tmpdir(), "keystone-itest-"));
}, 120_000);

afterAll(async () => {
  try {
    if (adminToken !== "") {
      for (const url of [lab["GLANCE_URL"], lab["GLANCE_URL_2"]]) {
        const client = directClient(url ?? "");
        for await (const image of client.images.list({ visibility: "all" })) if (image.name?.startsWith(prefix) === true) await client.images.delete(image.id);
        await client.close();
      }
    }
  } finally {
    if (tmp !== "") rmSync(tmp, { recursive: true, force: true });
    if (lab["GLANCE_LOCAL_STATE"] !== undefined) await promisify(execFile)("bash", [join(root, "scripts/glance-local.sh"), "stop", lab["GLANCE_LOCAL_STATE"]], { cwd: root });
  }
  expect(lab["GLANCE_LOCAL_STATE"]).toBeDefined();
}, 60_000);

/** Session options with nothing from this process: only `env`, a cwd and home without clouds.yaml. */
function options(env: NodeJS.ProcessEnv, extra: Partial<SessionOptions> = {}): SessionOptions {
  return { env, cwd: tmp, homeDir: tmp, config: { get: () => undefined }, ...extra };
}

const admin = (): NodeJS.ProcessEnv => ({
  OS_AUTH_URL: lab["OS_AUTH_URL"],
  OS_USERNAME: "admin",
  OS_PASSWORD: lab["OS_PASSWORD"],
  OS_PROJECT_NAME: "admin",
  OS_USER_DOMAIN_NAME: "Default",
  OS_PROJECT_DOMAIN_NAME: "Default",
  OS_REGION_NAME: "RegionOne",
});
const demo = (): NodeJS.ProcessEnv => ({ ...admin(), OS_USERNAME: "demo", OS_PASSWORD: lab["GLANCE_LOCAL_DEMO_PASSWORD"], OS_PROJECT_NAME: "demo" });

/** A client straight at one Glance with the admin token: checks where images landed. */
function directClient(endpoint: string): GlanceClient {
  return new GlanceClient({ endpoint, tokens: { token: async () => adminToken, invalidate: () => undefined } });
}

/** Awaits `promise`, which must reject; the error is kept for the secret scan. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  produced.push(error);
  return error;
}

async function withSession<T>(session: Promise<GlanceSession>, work: (s: GlanceSession) => Promise<T>): Promise<T> {
  const s = await session;
  try {
    return await work(s);
  } finally {
    await s.close();
  }
}

/** Creates a private image, finds it by name, deletes it; returns the image's owner. */
async function roundTrip(s: GlanceSession, suffix: string): Promise<string | null | undefined> {
  const name = `${prefix}-${suffix}`;
  const image = await v2(s).images.create({ name, disk_format: "raw", container_format: "bare", visibility: "private" });
  const listed: string[] = [];
  for await (const i of v2(s).images.list({ name })) listed.push(i.id);
  expect(listed).toEqual([image.id]);
  await v2(s).images.delete(image.id);
  expect(isHttpStatus(await rejection(v2(s).images.get(image.id)), 404)).toBe(true);
  return image.owner;
}

/** A dispatcher that counts Keystone token requests and Glance answers, and keeps issued tokens. */
function wire() {
  const seen = { posts: 0, validations: 0, glance: [] as number[], issued: [] as string[] };
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    const keystoneCall = String(opts.path).endsWith("/v3/auth/tokens");
    if (keystoneCall && opts.method === "POST") seen.posts += 1;
    if (keystoneCall && opts.method === "GET") seen.validations += 1;
    const wrapped = new Proxy(handler, {
      get(target, prop) {
        if (prop === "onResponseStart") {
          return (controller: Dispatcher.DispatchController, status: number, headers: Record<string, string | string[] | undefined>, text?: string) => {
            const subject = headers["x-subject-token"];
            if (keystoneCall && typeof subject === "string") {
              seen.issued.push(subject);
              secrets.add(subject);
            }
            if (!keystoneCall) seen.glance.push(status);
            return target.onResponseStart?.(controller, status, headers, text);
          };
        }
        const value: unknown = Reflect.get(target, prop);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    return dispatch(opts, wrapped);
  });
  return { seen, dispatcher, close: () => agent.close() };
}

describe("each auth method: a session lists, creates and deletes an image in RegionOne", () => {
  const cases: Array<[string, () => NodeJS.ProcessEnv, () => string]> = [
    ["password by names", admin, () => ids.adminProject],
    ["password by ids", () => ({ OS_AUTH_URL: lab["OS_AUTH_URL"], OS_USER_ID: ids.adminUser, OS_PASSWORD: lab["OS_PASSWORD"], OS_PROJECT_ID: ids.adminProject, OS_REGION_NAME: "RegionOne" }), () => ids.adminProject],
    ["application credential by id", () => ({ OS_AUTH_URL: lab["OS_AUTH_URL"], OS_APPLICATION_CREDENTIAL_ID: demoAppCred.id, OS_APPLICATION_CREDENTIAL_SECRET: demoAppCred.secret, OS_REGION_NAME: "RegionOne" }), () => ids.demoProject],
    [
      "application credential by name",
      () => ({ OS_AUTH_URL: lab["OS_AUTH_URL"], OS_AUTH_TYPE: "v3applicationcredential", OS_APPLICATION_CREDENTIAL_NAME: demoAppCred.name, OS_USERNAME: "demo", OS_USER_DOMAIN_NAME: "Default", OS_APPLICATION_CREDENTIAL_SECRET: demoAppCred.secret, OS_PROJECT_NAME: "ignored", OS_REGION_NAME: "RegionOne" }),
      () => ids.demoProject,
    ],
    ["existing token (catalog from GET /v3/auth/tokens)", () => ({ OS_AUTH_URL: lab["OS_AUTH_URL"], OS_TOKEN: adminToken, OS_REGION_NAME: "RegionOne" }), () => ids.adminProject],
    ["existing token with a fixed endpoint", () => ({ OS_TOKEN: adminToken, OS_IMAGE_URL: lab["GLANCE_URL"] }), () => ids.adminProject],
  ];
  it.each(cases)("%s", async (name, env, owner) => {
    await withSession(openSession(undefined, options(env())), async (s) => {
      expect(s.endpoint).toBe(lab["GLANCE_URL"]);
      expect(await roundTrip(s, name.replace(/\W+/g, "-"))).toBe(owner());
    });
  });
});

describe("the demo (member) user", () => {
  it("creates and deletes a private image; a public one is refused with 403", async () => {
    await withSession(openSession(undefined, options(demo())), async (s) => {
      expect(await roundTrip(s, "demo-private")).toBe(ids.demoProject);
      const error = await rejection(v2(s).images.create({ name: `${prefix}-demo-public`, disk_format: "raw", container_format: "bare", visibility: "public" }));
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(403);
    });
  });
});

describe("clouds.yaml + secure.yaml via OS_CLOUD", () => {
  it("reads the entry from the working directory, the password from secure.yaml, and the region (RegionTwo)", async () => {
    const dir = mkdtempSync(join(tmp, "cloud-"));
    writeFileSync(
      join(dir, "clouds.yaml"),
      `clouds:\n  lab:\n    auth:\n      auth_url: ${lab["KEYSTONE_URL"]}\n      username: demo\n      project_name: demo\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionTwo\n    interface: public\n`,
    );
    writeFileSync(join(dir, "secure.yaml"), `clouds:\n  lab:\n    auth:\n      password: ${lab["GLANCE_LOCAL_DEMO_PASSWORD"]}\n`);
    const image = await withSession(openSession(undefined, options({ OS_CLOUD: "lab" }, { cwd: dir })), async (s) => {
      expect(s.endpoint).toBe(lab["GLANCE_URL_2"]);
      return v2(s).images.create({ name: `${prefix}-cloud`, disk_format: "raw", container_format: "bare" });
    });
    const two = directClient(lab["GLANCE_URL_2"] ?? "");
    expect((await two.images.get(image.id)).owner).toBe(ids.demoProject);
    await two.images.delete(image.id);
    await two.close();
  });
});

describe("two regions", () => {
  it("a session per region creates its image in that region's Glance (the resource region wins over OS_REGION_NAME)", async () => {
    const made: Record<string, string> = {};
    for (const region of ["RegionOne", "RegionTwo"]) {
      made[region] = await withSession(openSession(region, options(admin())), async (s) => {
        return (await v2(s).images.create({ name: `${prefix}-${region}`, disk_format: "raw", container_format: "bare" })).id;
      });
    }
    const one = directClient(lab["GLANCE_URL"] ?? "");
    const two = directClient(lab["GLANCE_URL_2"] ?? "");
    try {
      expect((await one.images.get(made["RegionOne"] ?? "")).name).toBe(`${prefix}-RegionOne`);
      expect((await two.images.get(made["RegionTwo"] ?? "")).name).toBe(`${prefix}-RegionTwo`);
      expect(isHttpStatus(await rejection(one.images.get(made["RegionTwo"] ?? "")), 404)).toBe(true);
      expect(isHttpStatus(await rejection(two.images.get(made["RegionOne"] ?? "")), 404)).toBe(true);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it("a region the catalog lacks: the error lists both", async () => {
    const error = await rejection(openSession("RegionThree", options(admin())));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain("RegionOne (public, internal, admin), RegionTwo (public, internal, admin)");
  });
});

describe("wrong credentials", () => {
  it("a wrong password: AuthError naming what to check and Keystone's message, never the password; no image", async () => {
    const wrong = `wrong-${Date.now().toString(36)}-pw`;
    secrets.add(wrong);
    const error = await rejection(openSession(undefined, options({ ...admin(), OS_PASSWORD: wrong })).then(async (s) => {
      await v2(s).images.create({ name: `${prefix}-wrongpw`, disk_format: "raw", container_format: "bare" });
    }));
    expect(error).toBeInstanceOf(AuthError);
    const message = (error as Error).message;
    expect(message).toContain(`Keystone at ${lab["OS_AUTH_URL"]} refused the password authentication of user admin in domain Default, scoped to project admin in domain Default: 401 "The request you have made requires authentication."`);
    expect(message).toContain("Check the auth URL (OS_AUTH_URL), the user (OS_USERNAME) and its domain (OS_USER_DOMAIN_NAME), the password (OS_PASSWORD), the project (OS_PROJECT_NAME) and its domain (OS_PROJECT_DOMAIN_NAME)");
    expect(message).not.toContain(wrong);
    const one = directClient(lab["GLANCE_URL"] ?? "");
    const found: string[] = [];
    for await (const i of one.images.list({ name: `${prefix}-wrongpw`, visibility: "all" })) found.push(i.id);
    await one.close();
    expect(found).toEqual([]);
  });

  it("a wrong application credential secret, and an unknown user", async () => {
    const wrong = `bad-secret-${Date.now().toString(36)}`;
    secrets.add(wrong);
    const ac = await rejection(openSession(undefined, options({ OS_AUTH_URL: lab["OS_AUTH_URL"], OS_APPLICATION_CREDENTIAL_ID: demoAppCred.id, OS_APPLICATION_CREDENTIAL_SECRET: wrong, OS_REGION_NAME: "RegionOne" })));
    expect(ac).toBeInstanceOf(AuthError);
    expect((ac as Error).message).toContain(`application credential id ${demoAppCred.id}: 401`);
    const user = await rejection(openSession(undefined, options({ ...admin(), OS_USERNAME: "nobody" })));
    expect((user as Error).message).toContain("user nobody in domain Default");
  });
});

describe("token reuse and renewal, seen on the wire", () => {
  it("a second session in the same process does not authenticate again; concurrent sessions authenticate once", async () => {
    const w = wire();
    try {
      const env = demo();
      for (let i = 0; i < 2; i++) {
        await withSession(openSession(undefined, options(env, { dispatcher: w.dispatcher })), async (s) => {
          for await (const _ of v2(s).images.list({ limit: 1 })) break;
        });
      }
      expect(w.seen.posts).toBe(1);
      const w2 = wire();
      const sessions = await Promise.all([1, 2, 3, 4].map(() => openSession(undefined, options(env, { dispatcher: w2.dispatcher }))));
      await Promise.all(sessions.map((s) => s.close()));
      expect(w2.seen.posts).toBe(1);
      await w2.close();
    } finally {
      await w.close();
    }
  });

  it("a revoked token: Glance's 401 leads to exactly one re-authentication, then success", async () => {
    const w = wire();
    try {
      const env = demo();
      await withSession(openSession(undefined, options(env, { dispatcher: w.dispatcher })), async (s) => {
        expect(w.seen.posts).toBe(1);
        // revoked before Glance ever saw it, so Glance's token cache cannot hide the revocation
        await keystone("DELETE", "/auth/tokens", undefined, { "x-subject-token": w.seen.issued[0] ?? "" });
        // One page: the 401 and the one retry with the renewed token (however many images the project holds).
        for await (const _ of v2(s).images.list({ limit: 1 })) break;
        expect(w.seen.glance).toEqual([401, 200]);
        expect(w.seen.posts).toBe(2);
      });
      // the renewed token is cached for the next session
      await withSession(openSession(undefined, options(env, { dispatcher: w.dispatcher })), async (s) => {
        for await (const _ of v2(s).images.list({ limit: 1 })) break;
      });
      expect(w.seen.posts).toBe(2);
    } finally {
      await w.close();
    }
  });

  it("a token refused in the middle of a streamed upload: one re-authentication, the file sent again from byte 0, image active", async () => {
    const w = wire();
    const proxy = await startFaultProxy(lab["GLANCE_URL"] ?? "");
    const file = join(tmp, "upload-401.raw");
    const data = randomBytes(2 * 1024 * 1024 + 3);
    writeFileSync(file, data);
    // Glance refuses the token of the first PUT (as when it expired after the POST): the transport drops
    // the token, the upload retry re-opens the file and sends it again with a fresh one.
    proxy.when("PUT", /\/file$/).status(401, 1);
    try {
      const env = { ...admin(), OS_IMAGE_URL: proxy.url };
      const image = await withSession(openSession(undefined, options(env, { dispatcher: w.dispatcher })), async (s) => {
        // with a fixed endpoint the session authenticates at its first request
        expect(w.seen.posts).toBe(0);
        const { image } = await createImage(s.dialect, { ...CREATE_DEFAULTS, name: `${prefix}-reauth-upload`, source: { file } });
        // the first token, and exactly one re-authentication after the refused upload
        expect(w.seen.posts).toBe(2);
        return image;
      });
      expect(image.status).toBe("active");
      expect(image.hashValue).toBe(createHash("sha512").update(data).digest("hex"));
      expect(proxy.requests("PUT", /\/file$/).map((r) => r.status)).toEqual([401, 204]);
    } finally {
      await proxy.close();
      await w.close();
    }
  });

  it("a revoked existing token (OS_TOKEN): AuthError saying to get a new one", async () => {
    const { token } = await passwordToken("demo", lab["GLANCE_LOCAL_DEMO_PASSWORD"] ?? "", "demo");
    await keystone("DELETE", "/auth/tokens", undefined, { "x-subject-token": token });
    clearTokenCache();
    const error = await rejection(openSession(undefined, options({ OS_AUTH_URL: lab["OS_AUTH_URL"], OS_TOKEN: token, OS_REGION_NAME: "RegionOne" })));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('refused the existing token with 401 "The request you have made requires authentication."');
  });
});

/** An HTTPS front for an HTTP server, with a new upstream connection per request. */
async function tlsFront(target: string, key: Buffer, cert: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = https.createServer({ key, cert }, (req, res) => {
    const upstream = http.request(new URL(req.url ?? "/", target), { method: req.method ?? "GET", headers: { ...req.headers, host: new URL(target).host }, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe("TLS: the CA bundle and the insecure switch apply to Keystone and Glance", () => {
  let fronts: Array<{ url: string; close: () => Promise<void> }> = [];
  let caPath = "";
  beforeAll(async () => {
    const key = join(tmp, "tls.key");
    caPath = join(tmp, "tls.pem");
    await promisify(execFile)("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", caPath]);
    fronts = await Promise.all([lab["KEYSTONE_URL"], lab["GLANCE_URL"]].map((u) => tlsFront(u ?? "", readFileSync(key), readFileSync(caPath))));
  });
  afterAll(async () => {
    await Promise.all(fronts.map((f) => f.close()));
  });
  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...admin(), OS_AUTH_URL: `${fronts[0]?.url ?? ""}/v3`, OS_IMAGE_URL: fronts[1]?.url, ...extra });

  it("with OS_CACERT: both verified; without it: Keystone's certificate is refused; with OS_INSECURE: not checked", async () => {
    clearTokenCache();
    await withSession(openSession(undefined, options(env({ OS_CACERT: caPath }))), async (s) => {
      expect(s.endpoint).toBe(fronts[1]?.url);
      for await (const _ of v2(s).images.list({ limit: 1 })) break;
    });
    const refused = await rejection(openSession(undefined, options(env({}))).then((s) => v2(s).images.get("x")));
    expect(refused).toBeInstanceOf(AuthError);
    expect((refused as Error).message).toMatch(/^cannot reach Keystone at https:\/\/127\.0\.0\.1:\d+\/v3 \(.*self-signed certificate.*\): check the auth URL \(OS_AUTH_URL\), the network, and the TLS settings/);
    clearTokenCache();
    await withSession(openSession(undefined, options(env({ OS_INSECURE: "true" }))), async (s) => {
      for await (const _ of v2(s).images.list({ limit: 1 })) break;
    });
  });
});

describe("secrets", () => {
  it("no password, secret or token appears in any error produced above", () => {
    expect(produced.length).toBeGreaterThanOrEqual(8);
    expect(secrets.size).toBeGreaterThanOrEqual(6);
    for (const error of produced) {
      const texts: string[] = [];
      for (let e: unknown = error; e instanceof Error; e = e.cause) texts.push(e.message, String(e), e.stack ?? "", JSON.stringify(e));
      const all = texts.join("\n");
      for (const secret of secrets) if (secret !== "") expect(all.includes(secret), `a secret in: ${all.slice(0, 300)}`).toBe(false);
    }
  });
});
