import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findImages, newClient, runPrefix } from "../helpers/glance";
import { scratch } from "../helpers/provider";
import { startSourceServer, type SourceServer } from "../helpers/source-server";
import { collect, createStack, installProgram, type TestStack } from "./stack-harness";

const root = resolve(__dirname, "../..");
const client = newClient();
const files = scratch();
const disk = files.file("disk.raw", 4 * 1024 * 1024);
let server: SourceServer;

beforeAll(async () => {
  server = await startSourceServer(disk.path);
});
afterAll(async () => {
  await client.close();
  await server.close();
  files.cleanup();
});

/** up → Glance holds what it declares → preview shows no changes → destroy leaves nothing. */
async function cycle(t: TestStack, prefix: string, expectImages: (names: Map<string, Record<string, unknown>>) => void): Promise<void> {
  const output: string[] = [];
  try {
    const up = await t.stack.up(collect(output));
    expect(up.summary.result).toBe("succeeded");
    const images = new Map((await findImages(client, prefix)).map((image) => [image.name ?? "", image as unknown as Record<string, unknown>]));
    expectImages(images);
    expect((await t.stack.preview()).changeSummary).toEqual({ same: Object.values(up.summary.resourceChanges ?? {}).reduce((a, b) => a + b, 0) });
    await t.stack.destroy(collect(output));
    expect(await findImages(client, prefix)).toEqual([]);
  } finally {
    await t.dispose();
  }
}

describe("the examples through the real Pulumi CLI", () => {
  it("README's quickstart: the root Pulumi.yaml runs examples/quickstart", async () => {
    installProgram(resolve(root, "examples/quickstart"));
    const prefix = runPrefix("quickstart");
    const t = await createStack(root, { "glance-quickstart:diskFile": { value: disk.path }, "glance-quickstart:imageName": { value: prefix } });
    await cycle(t, prefix, (images) => {
      expect(images.get(prefix)).toMatchObject({ status: "active", os_hash_value: disk.sha512, os_distro: "cirros", owner_team: "platform", min_disk: 1 });
    });
  });

  it("from-url streams a URL behind basic auth", async () => {
    const dir = resolve(root, "examples/from-url");
    installProgram(dir);
    const prefix = runPrefix("from-url");
    const t = await createStack(dir, {
      "glance-from-url:imageName": { value: prefix },
      "glance-from-url:imageUrl": { value: `${server.url}/auth` },
      "glance-from-url:imageSha512": { value: disk.sha512 },
      "glance-from-url:sourceUsername": { value: "user" },
      "glance-from-url:sourcePassword": { value: "s3cret-pw", secret: true },
    });
    await cycle(t, prefix, (images) => {
      expect(images.get(prefix)).toMatchObject({ status: "active", os_hash_value: disk.sha512 });
    });
  });

  it("properties-and-tags manages tags and properties in place", async () => {
    const dir = resolve(root, "examples/properties-and-tags");
    installProgram(dir);
    const prefix = runPrefix("props");
    const t = await createStack(dir, { "glance-properties-and-tags:imageName": { value: prefix } });
    await cycle(t, prefix, (images) => {
      const image = images.get(prefix);
      expect(image).toMatchObject({ status: "queued", hw_disk_bus: "virtio", os_distro: "ubuntu", os_type: "linux", hypervisor_type: "qemu", min_ram: 512 });
      expect([...((image?.["tags"] as string[]) ?? [])].sort()).toEqual(["base", "hardened"]);
    });
  });
});
