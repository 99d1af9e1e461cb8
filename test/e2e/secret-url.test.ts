/**
 * #11.2 through the real Pulumi CLI: a source URL's query (a pre-signed URL's signature, or any query of a
 * URL the user marked secret) is never readable in the state file or the engine's output, and the URL's
 * identity, not its signature, decides replacement.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findImages, newClient, runPrefix } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "program");
const prefix = runPrefix("e2e-url");
const files = scratch();
const disk = files.file("disk.raw", 1024 * 1024);
const client = newClient();
const output: string[] = [];
const random = (): string => randomBytes(12).toString("hex");
/** Every query value used in this file: none may ever be readable in state or output. */
const queryValues: string[] = [];
let server: SourceServer;
let t: TestStack;

/** A pre-signed URL of the source server's /file: a fresh signature and credential each call. */
function signed(version: string): string {
  const signature = `sig${random()}`;
  const credential = `cred${random()}`;
  queryValues.push(signature, credential);
  return `${server.url}/file?version=${version}&X-Amz-Credential=${credential}&X-Amz-Signature=${signature}`;
}

/** Hands the program its pre-signed URL through the environment (plain stack config would be stored in state). */
function useSignedUrl(url: string): void {
  t.stack.workspace.envVars["GLANCE_E2E_SIGNED_URL"] = url;
}

const secretQuery = `q${random()}`;
const stateFile = (): string => readFileSync(join(t.stateDir, ".pulumi", "stacks", "glance-e2e", "e2e.json"), "utf8");
type Resource = { urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> };
const resource = (name: string): Resource | undefined =>
  (JSON.parse(stateFile()) as { checkpoint: { latest: { resources: Resource[] } } }).checkpoint.latest.resources.find((r) => r.urn.endsWith(`::${name}`));
/** The envelope Pulumi stores a secret in. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const isSecret = (value: unknown): boolean => typeof value === "object" && value !== null && SECRET_SIG in value && "ciphertext" in value;

beforeAll(async () => {
  installProgram(workDir);
  server = await startSourceServer(disk.path);
  queryValues.push(secretQuery);
  t = await createStack(workDir, {
    "glance-e2e:prefix": { value: prefix },
    "glance-e2e:file": { value: disk.path },
    "glance-e2e:url": { value: `${server.url}/auth` },
    "glance-e2e:sourcePassword": { value: "s3cret-pw", secret: true },
    "glance-e2e:secretUrl": { value: `${server.url}/file?private=${secretQuery}`, secret: true },
  });
  useSignedUrl(signed("1"));
}, 600_000);

afterAll(async () => {
  await tearDown(t, client, prefix);
  await server?.close();
  files.cleanup();
});

describe("#11.2 a source URL's query never reaches state in plain text", () => {
  it("#11.2 up with a pre-signed URL and a secret URL stores neither query readable, in inputs, outputs or fingerprint", async () => {
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toMatchObject({ create: 5 });
    const images = new Map((await findImages(client, prefix)).map((image) => [image.name ?? "", image]));
    expect(images.get(`${prefix}-signed`)).toMatchObject({ status: "active", os_hash_value: disk.sha512 });
    expect(images.get(`${prefix}-secret`)).toMatchObject({ status: "active", os_hash_value: disk.sha512 });
    const state = stateFile();
    for (const value of queryValues) expect(state).not.toContain(value);
    expect(state).not.toContain(`private=${secretQuery}`);
    // The engine keeps the nested secret through check (stored inputs) and annotates the output of the same
    // name; the fingerprint, an output of the provider's own, is an additional secret output.
    for (const name of ["signed-url-image", "secret-url-image"]) {
      const r = resource(name);
      expect(isSecret((r?.inputs["source"] as Record<string, unknown> | undefined)?.["url"])).toBe(true);
      expect(isSecret((r?.outputs["source"] as Record<string, unknown> | undefined)?.["url"])).toBe(true);
      expect(isSecret(r?.outputs["sourceFingerprint"])).toBe(true);
    }
  });

  it("#11.2 a re-signed URL (new signature and credential) is no change", async () => {
    useSignedUrl(signed("1"));
    const preview = await t.stack.preview(collect(output));
    expect(preview.changeSummary).toEqual({ same: 5 });
    const up = await t.stack.up(collect(output));
    expect(up.summary.resourceChanges).toEqual({ same: 5 });
    for (const value of queryValues) expect(stateFile()).not.toContain(value);
  });

  it("#11.2 a changed non-credential query parameter replaces the image", async () => {
    useSignedUrl(signed("2"));
    const preview = await t.stack.preview(collect(output));
    expect(preview.changeSummary).toEqual({ same: 4, replace: 1 });
    expect(output.join("\n")).toMatch(/glance image ".*-signed" \(.*\) will be replaced: source\.url changed/);
  });

  it("#11.2 the engine's output never showed a query value", () => {
    const text = output.join("\n");
    expect(text).toContain(`${prefix}-signed`);
    for (const value of queryValues) expect(text).not.toContain(value);
  });
});
