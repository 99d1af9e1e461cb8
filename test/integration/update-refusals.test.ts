/**
 * #11.13: failures of an update are reported like a create's (per field, with the fix), and every
 * error is a GlanceError subclass, a non-JSON answer included. Against the real local Glance; the
 * non-admin identity comes from the noauth filter's headers, injected by a proxy.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyFormatError, InputError, isGlanceError } from "../../src/errors";
import * as imageProvider from "../../src/provider/provider";
import type { ImageProvider } from "../../src/provider/provider";
import type { ImageOutputs } from "../../src/provider/inputs";
import { startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { glanceUrl, randomProjectId, runPrefix } from "../helpers/glance";
import { checked } from "../helpers/provider";

const prefix = runPrefix("update-refusals");
const savedEndpoint = process.env["OS_IMAGE_URL"];
let member: FaultProxy;

beforeAll(async () => {
  member = await startFaultProxy(glanceUrl());
  member.injectHeaders = { "X-Identity-Status": "Confirmed", "X-Project-Id": randomProjectId(), "X-User-Id": randomProjectId(), "X-Roles": "member,reader" };
});

afterAll(async () => {
  if (savedEndpoint === undefined) delete process.env["OS_IMAGE_URL"];
  else process.env["OS_IMAGE_URL"] = savedEndpoint;
  await member?.close();
});

/** Creates an image through the provider at `endpoint`, runs `work` with it, deletes it. */
async function withImage(endpoint: string, suffix: string, work: (p: ImageProvider, made: { id: string; outs: ImageOutputs }, base: Record<string, unknown>) => Promise<void>): Promise<void> {
  process.env["OS_IMAGE_URL"] = endpoint;
  const p = imageProvider;
  const base = { name: `${prefix}-${suffix}`, diskFormat: "raw" };
  const created = await p.create(await checked(p, base));
  const outs = created.outs;
  if (outs === undefined) throw new Error("create returned no outputs");
  try {
    await work(p, { id: created.id, outs }, base);
  } finally {
    await p.delete(created.id, outs);
  }
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e as Error,
  );
}

describe("#11.13 update failures are honest", () => {
  it("#11.13 a non-admin updating visibility to public gets an InputError naming visibility with the fix", async () => {
    await withImage(member.url, "public", async (p, made, base) => {
      const news = await checked(p, { ...base, visibility: "public" }, base);
      const error = await failure(p.update(made.id, made.outs, news));
      expect(error, String(error)).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe("visibility");
      expect(error.message).toMatch(/^visibility: Glance's policy does not let this user update public images \("You are not authorized to complete publicize_image action\."/);
      expect(error.message).toMatch(/use visibility "private" or "shared" \(and add members\), or ask a cloud admin to publish it$/);
      expect((await p.read(made.id, made.outs)).props?.visibility).toBe("private");
    });
  });

  it("#11.13 a value Glance refuses on update (minRamMb out of its range) is an InputError naming minRamMb", async () => {
    await withImage(glanceUrl(), "min-ram", async (p, made, base) => {
      const news = await checked(p, { ...base, minRamMb: 2 ** 40 }, base);
      const error = await failure(p.update(made.id, made.outs, news));
      expect(error, String(error)).toBeInstanceOf(InputError);
      expect((error as InputError).field).toBe("minRamMb");
      expect(error.message).toMatch(/^minRamMb: Glance refused the value: 'min_ram' value out of range, must not exceed 2147483647\. \(request req-[0-9a-f-]+\): change it to one Glance accepts$/);
    });
  });

  it("#11.13 a 200 answer that is not JSON (a portal page) is a BodyFormatError with status and snippet, not a SyntaxError", async () => {
    const portal: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Welcome to the cloud portal</body></html>");
    });
    await new Promise<void>((done) => portal.listen(0, "127.0.0.1", done));
    try {
      process.env["OS_IMAGE_URL"] = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
      const p = imageProvider;
      const outs = { name: `${prefix}-portal` } as unknown as ImageOutputs;
      const error = await failure(p.read("00000000-0000-4000-8000-000000000000", outs));
      expect(error).not.toBeInstanceOf(SyntaxError);
      expect(isGlanceError(error), String(error)).toBe(true);
      expect(error).toBeInstanceOf(BodyFormatError);
      expect((error as BodyFormatError).status).toBe(200);
      expect(error.message).toMatch(/answered 200: the body is not JSON \("<html><body>Welcome to the cloud portal<\/body><\/html>"\): check that the URL is the API endpoint itself/);
    } finally {
      await new Promise((done) => portal.close(done));
    }
  });
});
