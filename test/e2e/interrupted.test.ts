/**
 * Interrupted `pulumi up`s through the real Pulumi CLI, against the real Glance behind a throttling proxy
 * (so the upload is still running when the test strikes):
 * - #11.4: the provider process SIGKILLed mid-upload leaves a marked image; the next `up` removes it and says so.
 * - #11.14: the pulumi CLI SIGKILLed mid-upload: the provider process notices the engine is gone, deletes
 *   the half-made image and exits (it runs in a process group of its own, so nothing else stops it).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, realpathSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREATE_MARKER_PROPERTY } from "../../src/provider/create-marker";
import { FILE_PATH, IMAGE_PATH, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { findImages, glanceUrl, newClient, pollUntil, runPrefix } from "../helpers/glance";
import { createRandomFile, type RandomFile } from "../helpers/random-file";
import { collect, createStack, installProgram, tearDown, type TestStack } from "./stack-harness";

const workDir = resolve(__dirname, "interrupted");
const prefix = runPrefix("e2e-interrupted");
const MiB = 1024 * 1024;
const client = newClient();
let proxy: FaultProxy;
let disk: RandomFile;
let t: TestStack;

beforeAll(async () => {
  installProgram(workDir);
  proxy = await startFaultProxy(glanceUrl());
  disk = await createRandomFile(48 * MiB, "interrupted-e2e.raw");
  t = await createStack(workDir, { "glance-e2e-interrupted:file": { value: disk.path } }, { OS_IMAGE_URL: proxy.url, PULUMI_GLANCE_PROGRESS_INTERVAL_MS: "1000" });
}, 600_000);

afterAll(async () => {
  proxy?.reset();
  await tearDown(t, client, prefix);
  await proxy?.close();
  await disk?.remove();
});

/** Pids of every descendant of `pid` (through /proc's children lists). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const tasks = `/proc/${pid}/task`;
  if (!existsSync(tasks)) return out;
  for (const tid of readdirSync(tasks)) {
    let children = "";
    try {
      children = readFileSync(`${tasks}/${tid}/children`, "utf8");
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean).map(Number)) out.push(child, ...descendants(child));
  }
  return out;
}

/** The dynamic-provider host processes (node …/cmd/dynamic-provider) of this program below `pid`. */
function providerHosts(pid: number): number[] {
  const program = realpathSync(workDir);
  return descendants(pid).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("cmd/dynamic-provider") && realpathSync(`/proc/${p}/cwd`) === program;
    } catch {
      return false;
    }
  });
}

/** True while `pid` runs (a zombie waiting for its parent has stopped running). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

const uploading = (): Promise<void> =>
  proxy.waitFor((records) => records.some((r) => FILE_PATH.test(r.path) && r.requestBytes >= 4 * MiB), 300_000, "4 MiB of the upload");

const imagesNamed = async (name: string) => (await findImages(client, name)).filter((image) => image.name === name);

describe("interrupted pulumi up, through the real Pulumi CLI", () => {
  it("#11.4 the provider process SIGKILLed mid-upload: the next up removes the leftover, says so, and Glance holds exactly one image", async () => {
    const name = `${prefix}-host-killed`;
    await t.stack.setConfig("glance-e2e-interrupted:name", { value: name });
    proxy.when("PUT", FILE_PATH).throttle(4 * MiB, 1);
    const first = t.stack.up(collect(t.output)).then(
      () => "succeeded",
      (error: unknown) => String(error),
    );
    await uploading();
    const hosts = providerHosts(process.pid);
    expect(hosts, "exactly one provider host of this program").toHaveLength(1);
    process.kill(hosts[0] ?? 0, "SIGKILL");
    expect(await first).not.toBe("succeeded");

    const left = await imagesNamed(name);
    expect(left.map((i) => i.status === "active")).toEqual([false]);
    expect(typeof left[0]?.[CREATE_MARKER_PROPERTY]).toBe("string");
    const leftoverId = left[0]?.id ?? "";

    const output: string[] = [];
    const second = await t.stack.up(collect(output));
    expect(second.summary.result).toBe("succeeded");
    expect(output.join("\n")).toMatch(new RegExp(`removed image ${leftoverId} \\(status \\w+\\) left behind by an interrupted create of this resource`));
    const images = await imagesNamed(name);
    expect(images.map((i) => [i.id, i.status, i.os_hash_value, i[CREATE_MARKER_PROPERTY]])).toEqual([[second.outputs["imageId"]?.value, "active", disk.sha512, undefined]]);
    await t.stack.destroy();
  });

  it("#11.14 the pulumi CLI SIGKILLed mid-upload: the provider process notices, deletes the half-made image and exits", async () => {
    const name = `${prefix}-cli-killed`;
    await t.stack.setConfig("glance-e2e-interrupted:name", { value: name });
    proxy.reset();
    proxy.when("PUT", FILE_PATH).throttle(2 * MiB, 1);
    const cli = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "e2e"], {
      cwd: workDir,
      env: { ...process.env, ...t.stack.workspace.envVars },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    cli.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => cli.on("exit", (_code, signal) => done(signal)));
    try {
      await uploading();
      const hosts = providerHosts(cli.pid ?? 0);
      expect(hosts, output).toHaveLength(1);
      const host = hosts[0] ?? 0;
      const put = proxy.requests("PUT", FILE_PATH)[0];
      const imageId = /[0-9a-f-]{36}/.exec(put?.path ?? "")?.[0] ?? "no PUT seen";
      expect(put?.outcome).toBe("pending");

      cli.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      // The provider host, in its own process group, outlives the CLI: it must stop by itself.
      await pollUntil(async () => running(host), (alive) => !alive, 120_000, `provider host ${host} to exit`);
      expect(put?.requestBytes ?? 0).toBeLessThan(disk.size);
      expect(proxy.requests("DELETE", IMAGE_PATH).map((r) => [r.path.endsWith(imageId), r.status])).toEqual([[true, 204]]);
      expect(await imagesNamed(name)).toEqual([]);
    } finally {
      if (cli.exitCode === null && cli.signalCode === null) cli.kill("SIGKILL");
    }
  });
});
