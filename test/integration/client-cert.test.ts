/**
 * Client TLS certificates (OS_CERT/OS_KEY, clouds.yaml cert/key): the local Glance behind an HTTPS
 * server that requires a client certificate of a CA made with openssl at test time.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULTS } from "../../src/provider/check";
import { createImage } from "../../src/provider/create";
import type { ImageInputs } from "../../src/provider/inputs";
import { openSession } from "../../src/provider/session";
import { glanceUrl, newClient, runPrefix, sweepImages } from "../helpers/glance";
import { startForwardProxy } from "../helpers/forward-proxy";
import { makePki, startMtlsFront, type MtlsFront, type TestPki } from "../helpers/mtls-front";

const prefix = runPrefix("mtls");
let pki: TestPki;
let front: MtlsFront;
let home: string;

beforeAll(async () => {
  pki = makePki();
  front = await startMtlsFront(pki, glanceUrl());
  home = mkdtempSync(join(tmpdir(), "mtls-home-"));
});
afterAll(async () => {
  const client = newClient();
  await sweepImages(client, prefix);
  await client.close();
  await front.close();
  pki.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const where = (env: NodeJS.ProcessEnv) => ({ env, cwd: home, homeDir: home, config: { get: () => undefined } });

async function createThrough(env: NodeJS.ProcessEnv, name: string): Promise<string> {
  const session = await openSession(undefined, where(env));
  try {
    const { image } = await createImage(session.dialect, { ...DEFAULTS, name: `${prefix}-${name}`, diskFormat: "raw", createTimeoutSeconds: 120 } as ImageInputs);
    return image.status;
  } finally {
    await session.close();
  }
}

describe("client TLS certificates for Glance", () => {
  it("OS_CERT + OS_KEY present the certificate: the server that requires one serves the calls", async () => {
    const before = front.clients.length;
    const status = await createThrough({ OS_IMAGE_URL: front.url, OS_CACERT: pki.ca, OS_CERT: pki.clientCert, OS_KEY: pki.clientKey }, "env");
    expect(status).toBe("queued");
    expect(front.clients.slice(before).length).toBeGreaterThan(0);
    expect(new Set(front.clients.slice(before))).toEqual(new Set(["client"]));
  });

  it("through HTTPS_PROXY the tunnel (CONNECT) carries the same TLS: CA bundle and client certificate", async () => {
    const proxy = await startForwardProxy();
    process.env["HTTPS_PROXY"] = proxy.origin;
    try {
      const before = front.clients.length;
      expect(await createThrough({ OS_IMAGE_URL: front.url, OS_CACERT: pki.ca, OS_CERT: pki.clientCert, OS_KEY: pki.clientKey }, "tunnel")).toBe("queued");
      expect(proxy.requests()).toContain(`CONNECT ${new URL(front.url).host}`);
      expect(front.clients.slice(before).length).toBeGreaterThan(0);
    } finally {
      delete process.env["HTTPS_PROXY"];
      await proxy.close();
    }
  });

  it("clouds.yaml cert and key do the same", async () => {
    writeFileSync(join(home, "clouds.yaml"), `clouds:\n  mtls:\n    auth_type: none\n    image_endpoint_override: ${front.url}\n    cacert: ${pki.ca}\n    cert: ${pki.clientCert}\n    key: ${pki.clientKey}\n`);
    try {
      expect(await createThrough({ OS_CLOUD: "mtls" }, "clouds")).toBe("queued");
    } finally {
      rmSync(join(home, "clouds.yaml"));
    }
  });

  it("without a certificate, or with one of another CA, the server refuses the connection and no image is made", async () => {
    // No retry budget: a refused handshake is not worth a minute of retries here.
    const base = { OS_IMAGE_URL: front.url, OS_CACERT: pki.ca, PULUMI_GLANCE_RETRY_BUDGET: "0" };
    const before = front.clients.length;
    for (const [env, name] of [[base, "none"], [{ ...base, OS_CERT: pki.strangerCert, OS_KEY: pki.strangerKey }, "stranger"]] as const) {
      const error = await createThrough(env, name).then(() => undefined, (e: unknown) => e);
      expect(error, name).toBeInstanceOf(Error);
      console.log(`${name}: ${(error as Error).message}`);
      expect((error as Error).message).not.toContain("PRIVATE KEY");
    }
    expect(front.clients.length).toBe(before);
    const client = newClient();
    expect(await sweepImages(client, `${prefix}-none`)).toEqual([]);
    expect(await sweepImages(client, `${prefix}-stranger`)).toEqual([]);
    await client.close();
  });

  it("a key without a certificate, and an unreadable certificate, fail naming the setting", async () => {
    await expect(openSession(undefined, where({ OS_IMAGE_URL: front.url, OS_KEY: pki.clientKey }))).rejects.toThrow(/client key is set \(OS_KEY\) without its certificate: set glance:cert, OS_CERT or clouds.yaml cert/);
    await expect(openSession(undefined, where({ OS_IMAGE_URL: front.url, OS_CERT: "/nonexistent/c.pem" }))).rejects.toThrow(/cannot read the client certificate \/nonexistent\/c\.pem \(from OS_CERT\): ENOENT/);
  });
});
