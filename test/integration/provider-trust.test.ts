/**
 * Issue #11 trust items at the provider level, against real Glance: protection ownership (#11.1), the
 * inputs a refresh records (#11.10), and an image that stays where it lives when the configured endpoint
 * changes (#11.3: a second local Glance, started by this file).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { InputError, isHttpStatus, ProtectedImageError } from "../../src/errors";
import { GlanceClient } from "../../src/dialects/glance-v2/client";
import type { ImageOutputs } from "../../src/provider/inputs";
import { startExtraGlance, type ExtraGlance } from "../helpers/extra-glance";
import { glanceUrl } from "../helpers/glance";
import { RUN, checked, glance, imagesNamed, provider, scratch, sweep } from "../helpers/provider";

const files = scratch();
const client = glance();
afterAll(async () => {
  process.env["OS_IMAGE_URL"] = glanceUrl();
  await sweep();
  await client.close();
  files.cleanup();
});

describe("#11.1 protection is owned only when the program declared it", () => {
  const p = provider();

  it("#11.1 state written by 0.1.0 (Glance's flag in outputs, no ownership record): a refresh after an out-of-band protect does not make it ours", async () => {
    const made = await p.create(await checked(p, { name: `${RUN}-legacy`, diskFormat: "raw" }));
    // 0.1.0 wrote Glance's protected (false here) and no protectionOwned
    const { protectionOwned: _owned, ...legacy } = made.outs as ImageOutputs;
    await client.images.patch(made.id, [{ op: "replace", path: "/protected", value: true }]);
    const refreshed = (await p.read(made.id, legacy as ImageOutputs)).props as ImageOutputs;
    expect(refreshed.protectionOwned).toBe(false);
    const refused = await p.delete(made.id, refreshed).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ProtectedImageError);
    expect(await client.images.get(made.id)).toMatchObject({ protected: true });
  });

  it("#11.1 an image protected out of band survives refresh, up and destroy", async () => {
    const made = await p.create(await checked(p, { name: `${RUN}-oob`, diskFormat: "raw" }));
    const created = made.outs as ImageOutputs;
    await client.images.patch(made.id, [{ op: "replace", path: "/protected", value: true }]);

    // refresh: the outputs must not turn Glance's flag into this program's protection
    const read = await p.read(made.id, created);
    const outs = read.props as ImageOutputs;

    // up --refresh: an unset protected is neither compared nor sent, even by an update of something else
    const same = await checked(p, { name: `${RUN}-oob`, diskFormat: "raw" });
    expect((await p.diff(made.id, outs, same)).changes).toBe(false);
    const renamed = await checked(p, { name: `${RUN}-oob-2`, diskFormat: "raw" });
    const updated = (await p.update(made.id, outs, renamed)).outs as ImageOutputs;
    expect(await client.images.get(made.id)).toMatchObject({ name: `${RUN}-oob-2`, protected: true });

    // destroy: refused, and the image is still there and still protected
    const refused = await p.delete(made.id, updated).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ProtectedImageError);
    expect(String(refused)).toMatch(/protected outside Pulumi.*openstack image set --unprotected/);
    expect(await client.images.get(made.id)).toMatchObject({ protected: true, status: "queued" });
    // what the state records: not managed, not owned, at every step
    expect(created).toMatchObject({ protectionOwned: false });
    expect(created.protected).toBeUndefined();
    expect(outs).toMatchObject({ protectionOwned: false });
    expect(updated).toMatchObject({ protectionOwned: false });
  });

  it("#11.1 a declared protected: true is owned: the delete unprotects and deletes", async () => {
    const made = await p.create(await checked(p, { name: `${RUN}-own`, diskFormat: "raw", protected: true }));
    expect(made.outs).toMatchObject({ protected: true, protectionOwned: true });
    const outs = (await p.read(made.id, made.outs as ImageOutputs)).props as ImageOutputs;
    expect(outs.protectionOwned).toBe(true);
    await p.delete(made.id, outs);
    await expect(client.images.get(made.id)).rejects.toSatisfy((e: unknown) => isHttpStatus(e, 404));
  });

  it("#11.1 a declared protected: false unprotects on update and owns nothing", async () => {
    const made = await p.create(await checked(p, { name: `${RUN}-false`, diskFormat: "raw", protected: false }));
    await client.images.patch(made.id, [{ op: "replace", path: "/protected", value: true }]);
    const outs = (await p.read(made.id, made.outs as ImageOutputs)).props as ImageOutputs;
    expect(outs).toMatchObject({ protected: true, protectionOwned: false });
    const news = await checked(p, { name: `${RUN}-false`, diskFormat: "raw", protected: false });
    expect((await p.diff(made.id, outs, news)).changes).toBe(true);
    const updated = (await p.update(made.id, outs, news)).outs as ImageOutputs;
    expect(updated).toMatchObject({ protected: false, protectionOwned: false });
    expect((await client.images.get(made.id)).protected).toBe(false);
  });
});

describe("#11.10 read returns the inputs as Glance holds them", () => {
  const p = provider();

  it("#11.10 a refresh records drifted inputs and keeps the others, with no credential", async () => {
    const data = files.file("disk.raw", 1024 * 1024);
    const made = await p.create(await checked(p, { name: `${RUN}-drift`, diskFormat: "raw", source: { file: data.path }, osDistro: "cirros", tags: ["a"], createTimeoutSeconds: 600 }));
    await client.images.patch(made.id, [
      { op: "replace", path: "/name", value: `${RUN}-drift-oob` },
      { op: "replace", path: "/min_ram", value: 64 },
      { op: "remove", path: "/os_distro" },
    ]);
    const read = await p.read(made.id, made.outs as ImageOutputs);
    expect(read.inputs).toEqual({
      name: `${RUN}-drift-oob`,
      diskFormat: "raw",
      containerFormat: "bare",
      visibility: "private",
      hidden: false,
      minDiskGb: 0,
      minRamMb: 64,
      tags: ["a"],
      source: { file: data.path },
      importMethod: "upload",
      createTimeoutSeconds: 600,
      deletePolicy: "delete",
    });
    expect(read.props).not.toHaveProperty("osDistro");
    // the program's inputs differ from what Glance holds now: the next up corrects it
    const news = await checked(p, { name: `${RUN}-drift`, diskFormat: "raw", source: { file: data.path }, osDistro: "cirros", tags: ["a"], createTimeoutSeconds: 600 });
    expect((await p.diff(made.id, read.props as ImageOutputs, news)).changes).toBe(true);
    // with the recorded inputs copied in (what ignoreChanges does, here for every input), nothing is to be done
    expect((await p.diff(made.id, read.props as ImageOutputs, await checked(p, read.inputs as unknown as Record<string, unknown>))).changes).toBe(false);
  });
});

describe("#11.3 an image is read and deleted where it lives", () => {
  const p = provider();
  let extra: ExtraGlance | undefined;
  let second: GlanceClient | undefined;

  beforeAll(async () => {
    extra = await startExtraGlance();
    second = new GlanceClient({ endpoint: extra.url });
  }, 120_000);

  afterAll(async () => {
    process.env["OS_IMAGE_URL"] = glanceUrl();
    await second?.close();
    await extra?.stop();
  }, 60_000);

  it("#11.3 switching OS_IMAGE_URL to another Glance plans a replace naming both; read and delete reach the first", async () => {
    const one = glanceUrl();
    const two = extra?.url ?? "";
    expect(two).not.toBe(one);
    process.env["OS_IMAGE_URL"] = one;
    const inputs = await checked(p, { name: `${RUN}-moved`, diskFormat: "raw" });
    const made = await p.create(inputs);
    const outs = made.outs as ImageOutputs;
    expect(outs.endpoint).toBe(one);

    process.env["OS_IMAGE_URL"] = two;
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect(await p.diff(made.id, outs, inputs)).toEqual({ changes: true, replaces: ["endpoint"], deleteBeforeReplace: false });
      expect(log.mock.calls.flat().join("\n")).toContain(`the image endpoint changed from ${one} to ${two}: the image will be created at ${two} and deleted at ${one}`);
    } finally {
      log.mockRestore();
    }
    const read = await p.read(made.id, outs);
    expect(read).toMatchObject({ id: made.id, props: { endpoint: one, name: `${RUN}-moved` } });
    await p.delete(made.id, outs);
    await expect(client.images.get(made.id)).rejects.toSatisfy((e: unknown) => isHttpStatus(e, 404));
    expect(second).toBeDefined();
    expect(await findNamed(second as GlanceClient, `${RUN}-moved`)).toEqual([]);
  });

  it("#11.3 an unreachable stored endpoint is an error, never 'gone'", async () => {
    process.env["OS_IMAGE_URL"] = glanceUrl();
    const made = await p.create(await checked(p, { name: `${RUN}-unreachable`, diskFormat: "raw" }));
    const gone = { ...(made.outs as ImageOutputs), endpoint: "http://127.0.0.1:9" };
    // A refused connection is retried for the retry budget (#11.16); one second shows the same end.
    process.env["PULUMI_GLANCE_RETRY_BUDGET"] = "1";
    try {
      await expect(p.read(made.id, gone)).rejects.toThrow(/127\.0\.0\.1:9/);
      await expect(p.delete(made.id, gone)).rejects.toThrow(/127\.0\.0\.1:9/);
    } finally {
      delete process.env["PULUMI_GLANCE_RETRY_BUDGET"];
    }
    expect((await client.images.get(made.id)).status).toBe("queued");
  });

  it("#11.3 another URL of the same Glance only records the endpoint", async () => {
    process.env["OS_IMAGE_URL"] = glanceUrl();
    const inputs = await checked(p, { name: `${RUN}-alias`, diskFormat: "raw" });
    const made = await p.create(inputs);
    const alias = glanceUrl().replace("127.0.0.1", "localhost");
    process.env["OS_IMAGE_URL"] = alias;
    expect(await p.diff(made.id, made.outs as ImageOutputs, inputs)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = (await p.update(made.id, made.outs as ImageOutputs, inputs)).outs as ImageOutputs;
    expect(updated.endpoint).toBe(alias);
  });
});

async function findNamed(c: GlanceClient, name: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const image of c.images.list({ visibility: "all" })) if (image.name === name) ids.push(image.id);
  return ids;
}

describe("#11.2 a masked URL from state is never fetched", () => {
  it("a create from the masked form a refresh records fails naming source.url, before anything is made", async () => {
    const p = provider();
    const name = `${RUN}-masked`;
    const inputs = await checked(p, { name, diskFormat: "raw", source: { url: "http://127.0.0.1:9/image.raw?versionId=***&X-Amz-Signature=***" } });
    const error = await p.create(inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).field).toBe("source.url");
    expect(String(error)).toMatch(/masked form .* ignoreChanges/);
    expect(await imagesNamed(name)).toEqual([]);
  });
});
