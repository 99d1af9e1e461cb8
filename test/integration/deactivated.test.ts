/**
 * `deactivated` against the real local Glance (noauth: the provider acts as the default project with the
 * admin role; another project acts through the identity headers the noauth filter keeps): created
 * deactivated, drift on refresh, in place both ways, unset is not managed, a deactivated image deletes,
 * and a caller Glance refuses (a member project of a shared image: "You do not own this image") gets an
 * error on the input.
 */
import { afterAll, describe, expect, it } from "vitest";
import { GlanceV2Dialect } from "../../src/dialects/glance-v2/dialect";
import { InputError } from "../../src/errors";
import type { ImageOutputs } from "../../src/provider/inputs";
import { updateImage } from "../../src/provider/update";
import { DEFAULT_PROJECT_ID, FLAVOR, clientAsProject, randomProjectId } from "../helpers/glance";
import { RUN, checked, glance, provider, scratch, sweep } from "../helpers/provider";

const files = scratch();
const client = glance();
afterAll(async () => {
  await sweep(`${RUN}-deact`);
  await client.close();
  files.cleanup();
});

describe("deactivated", () => {
  const p = provider();
  const data = files.file("disk.raw", 64 * 1024 + 5);
  const base = { diskFormat: "raw", source: { file: data.path } };

  it("created deactivated; a refresh shows an out-of-band reactivation; the next update deactivates again, in place; false reactivates", async () => {
    const inputs = await checked(p, { ...base, name: `${RUN}-deact-life`, deactivated: true });
    const created = await p.create(inputs);
    let outs = created.outs as ImageOutputs;
    expect(outs).toMatchObject({ status: "deactivated", deactivated: true });
    expect((await client.images.get(created.id)).status).toBe("deactivated");

    await client.images.reactivate(created.id);
    const read = await p.read(created.id, outs);
    expect(read.props).toMatchObject({ status: "active", deactivated: false });
    expect(read.inputs).toMatchObject({ deactivated: false });
    outs = read.props as ImageOutputs;

    const diff = await p.diff(created.id, outs, inputs);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    outs = (await p.update(created.id, outs, inputs)).outs as ImageOutputs;
    expect(outs).toMatchObject({ status: "deactivated", deactivated: true });
    expect((await client.images.get(created.id)).status).toBe("deactivated");

    const reactivate = await checked(p, { ...base, name: `${RUN}-deact-life`, deactivated: false });
    outs = (await p.update(created.id, outs, reactivate)).outs as ImageOutputs;
    expect(outs).toMatchObject({ status: "active", deactivated: false });
    expect((await client.images.get(created.id)).status).toBe("active");

    // deactivated and deleted: Glance deletes a deactivated image
    await client.images.deactivate(created.id);
    await p.delete(created.id, { ...outs, deactivated: true });
    expect(await p.read(created.id, outs)).toEqual({});
  });

  it("unset is not managed: an image deactivated outside the program stays so, no output, no diff", async () => {
    const inputs = await checked(p, { ...base, name: `${RUN}-deact-unmanaged` });
    const created = await p.create(inputs);
    await client.images.deactivate(created.id);
    const read = await p.read(created.id, created.outs as ImageOutputs);
    expect(read.props).toMatchObject({ status: "deactivated" });
    expect(read.props).not.toHaveProperty("deactivated");
    expect(await p.diff(created.id, read.props as ImageOutputs, inputs)).toMatchObject({ changes: false });
    const renamed = await p.update(created.id, read.props as ImageOutputs, { ...inputs, name: `${RUN}-deact-unmanaged-2` });
    expect(renamed.outs).toMatchObject({ status: "deactivated", name: `${RUN}-deact-unmanaged-2` });
    await p.delete(created.id, renamed.outs as ImageOutputs);
  });

  it("a caller Glance refuses gets an InputError on deactivated, with Glance's reason and the fix", async () => {
    const created = await p.create(await checked(p, { ...base, name: `${RUN}-deact-refused`, visibility: "shared" }));
    const outs = created.outs as ImageOutputs;
    const member = randomProjectId();
    await client.members.add(created.id, member);
    const asMember = clientAsProject(member);
    try {
      await asMember.members.setStatus(created.id, member, "accepted");
      const dialect = new GlanceV2Dialect(asMember);
      const error = await updateImage(dialect, created.id, outs, { ...outs, deactivated: true }).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe("deactivated");
      expect((error as Error).message).toMatch(new RegExp(`^deactivated: Glance refused to deactivate image ${created.id} \\\("${FLAVOR === "newest" ? "You are not authorized to complete deactivate action." : "You do not own this image"}"( \\(request req-[0-9a-f-]+\\))?\\): the cloud's policy decides who may .*; use such credentials, or remove deactivated$`));
      expect((await client.images.get(created.id)).status).toBe("active");
    } finally {
      await asMember.close();
    }
    await p.delete(created.id, outs);
  });

  it("who may is the policy's: a reader of the owning project is refused by Glance 33's defaults, allowed by Zed's (deprecated rule \"\" still ORed in)", async () => {
    const created = await p.create(await checked(p, { ...base, name: `${RUN}-deact-reader` }));
    const outs = created.outs as ImageOutputs;
    const reader = clientAsProject(DEFAULT_PROJECT_ID, "reader");
    try {
      const attempt = updateImage(new GlanceV2Dialect(reader), created.id, outs, { ...outs, deactivated: true });
      if (FLAVOR === "newest") {
        const error = await attempt.then(() => undefined, (e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        expect((error as Error).message).toContain(`deactivated: Glance refused to deactivate image ${created.id} ("You are not authorized to complete deactivate action."`);
        expect((await client.images.get(created.id)).status).toBe("active");
      } else {
        expect((await attempt).image.status).toBe("deactivated");
      }
    } finally {
      await reader.close();
    }
    await p.delete(created.id, outs);
  });
});
