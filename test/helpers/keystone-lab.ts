/**
 * A Keystone + Glance lab of the project's scripts (GLANCE_AUTH=keystone), started by a test file for
 * itself, with a second ordinary project and user, and a clouds.yaml + secure.yaml naming two entries:
 * `owner` (the lab's demo user in project demo) and `member` (the second user in its project).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { request } from "undici";
import { GlanceClient } from "../../src/dialects/glance-v2/client";

const root = resolve(__dirname, "../..");

export interface KeystoneLab {
  /** What scripts/glance-local.sh exported (GLANCE_URL, KEYSTONE_URL, OS_AUTH_URL, OS_PASSWORD, …). */
  readonly env: Readonly<Record<string, string>>;
  readonly ids: { readonly adminProject: string; readonly demoProject: string; readonly memberProject: string };
  /** The second user and project's name (user and project share it). */
  readonly memberName: string;
  readonly memberPassword: string;
  /** The directory holding clouds.yaml and secure.yaml. */
  readonly dir: string;
  /** Every password and token the lab handed out so far: none may appear in state or in an error. */
  readonly secrets: Set<string>;
  readonly adminToken: string;
  login(user: string, password: string, project: string): Promise<{ token: string; project: string }>;
  /** A Glance client acting with a token of `user`. */
  clientAs(user: string, password: string, project: string): Promise<GlanceClient>;
  /** Deletes every image whose name starts with `prefix` (as admin) at `endpoint` (default GLANCE_URL) and returns their ids. */
  sweep(prefix: string, endpoint?: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** `regions: 2`: a second Glance, catalogued as RegionTwo (GLANCE_URL_2). Default 1. */
export async function startKeystoneLab(prefix: string, options: { readonly regions?: 1 | 2 } = {}): Promise<KeystoneLab> {
  const env: NodeJS.ProcessEnv = { ...process.env, GLANCE_AUTH: "keystone" };
  for (const k of ["GLANCE_PORT", "KEYSTONE_PORT", "GLANCE_LOCAL_STATE", "GLANCE_REGIONS"]) delete env[k];
  if (options.regions === 2) env["GLANCE_REGIONS"] = "2";
  const { stdout } = await promisify(execFile)("bash", [join(root, "scripts/glance-local.sh"), "start"], { env, cwd: root });
  const lab: Record<string, string> = Object.fromEntries(
    [...stdout.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1] ?? "", (m[2] ?? "").replace(/^'(.*)'$/, "$1").replace(/\\(.)/g, "$1")]),
  );
  const secrets = new Set<string>([lab["OS_PASSWORD"] ?? "", lab["GLANCE_LOCAL_DEMO_PASSWORD"] ?? ""].filter((s) => s !== ""));
  const memberName = `${prefix}-b`;
  const memberPassword = `pw-${prefix}-member-secret`;
  secrets.add(memberPassword);

  const keystone = async (method: "GET" | "POST" | "PUT", path: string, body?: unknown, token = ""): Promise<{ headers: Record<string, unknown>; json: unknown }> => {
    const res = await request(`${lab["OS_AUTH_URL"]}${path}`, {
      method,
      headers: { connection: "close", "content-type": "application/json", accept: "application/json", ...(token === "" ? {} : { "x-auth-token": token }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`keystone ${method} ${path}: ${res.statusCode} ${text}`);
    return { headers: res.headers, json: text === "" ? undefined : JSON.parse(text) };
  };
  const login = async (user: string, password: string, project: string): Promise<{ token: string; project: string }> => {
    const res = await keystone("POST", "/auth/tokens", {
      auth: { identity: { methods: ["password"], password: { user: { name: user, domain: { name: "Default" }, password } } }, scope: { project: { name: project, domain: { name: "Default" } } } },
    });
    const token = String(res.headers["x-subject-token"] ?? "");
    secrets.add(token);
    return { token, project: (res.json as { token: { project: { id: string } } }).token.project.id };
  };
  const admin = await login("admin", lab["OS_PASSWORD"] ?? "", "admin");
  const demo = await login("demo", lab["GLANCE_LOCAL_DEMO_PASSWORD"] ?? "", "demo");
  // A second ordinary project with its own user (member role: an admin nowhere).
  const project = (await keystone("POST", "/projects", { project: { name: memberName, domain_id: "default" } }, admin.token)).json as { project: { id: string } };
  const user = (await keystone("POST", "/users", { user: { name: memberName, password: memberPassword, domain_id: "default", default_project_id: project.project.id } }, admin.token)).json as { user: { id: string } };
  const roles = (await keystone("GET", "/roles?name=member", undefined, admin.token)).json as { roles: { id: string }[] };
  await keystone("PUT", `/projects/${project.project.id}/users/${user.user.id}/roles/${roles.roles[0]?.id ?? ""}`, undefined, admin.token);

  const dir = mkdtempSync(join(tmpdir(), "keystone-lab-"));
  const entry = (name: string, userName: string, projectName: string): string =>
    `  ${name}:\n    auth:\n      auth_url: ${lab["KEYSTONE_URL"]}\n      username: ${userName}\n      project_name: ${projectName}\n      user_domain_name: Default\n      project_domain_name: Default\n    region_name: RegionOne\n`;
  writeFileSync(join(dir, "clouds.yaml"), `clouds:\n${entry("owner", "demo", "demo")}${entry("member", memberName, memberName)}`);
  writeFileSync(join(dir, "secure.yaml"), `clouds:\n  owner:\n    auth:\n      password: ${lab["GLANCE_LOCAL_DEMO_PASSWORD"]}\n  member:\n    auth:\n      password: ${memberPassword}\n`);

  const clientWith = (token: string, endpoint = lab["GLANCE_URL"] ?? ""): GlanceClient => new GlanceClient({ endpoint, tokens: { token: async () => token, invalidate: () => undefined } });
  return {
    env: lab,
    ids: { adminProject: admin.project, demoProject: demo.project, memberProject: project.project.id },
    memberName,
    memberPassword,
    dir,
    secrets,
    adminToken: admin.token,
    login,
    clientAs: async (u, p, pr) => clientWith((await login(u, p, pr)).token),
    async sweep(namePrefix, endpoint) {
      const client = clientWith(admin.token, endpoint);
      const left: string[] = [];
      try {
        for await (const image of client.images.list({ visibility: "all" })) if (image.name?.startsWith(namePrefix) === true) left.push(image.id);
        for (const id of left) await client.images.delete(id);
      } finally {
        await client.close();
      }
      return left;
    },
    async stop() {
      rmSync(dir, { recursive: true, force: true });
      if (lab["GLANCE_LOCAL_STATE"] !== undefined) await promisify(execFile)("bash", [join(root, "scripts/glance-local.sh"), "stop", lab["GLANCE_LOCAL_STATE"]], { cwd: root });
    },
  };
}
