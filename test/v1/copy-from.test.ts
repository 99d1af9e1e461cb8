import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpError, ImportFailedError } from "../../src/errors";
import { startFileServer, type FileServer } from "../helpers/file-server";
import { createQueued, md5, newDialect, runPrefix, sweep } from "./v1-helpers";

const dialect = newDialect();
const prefix = runPrefix("copyfrom");
const made = new Set<string>();
let files: FileServer;

beforeAll(async () => {
  files = await startFileServer();
});

afterAll(async () => {
  await sweep(dialect, made);
  await dialect.close();
  await files.close();
});

describe("Glance v1 dialect: the server fetches the data (x-glance-api-copy-from)", () => {
  it("copies from a URL into a queued record; the md5 is the served data's", async () => {
    const data = randomBytes(500_000);
    files.serve("/image.raw", data);
    const created = await createQueued(dialect, `${prefix}-ok`);
    made.add(created.id);
    await dialect.importFromUrl(created.id, files.url("/image.raw"), AbortSignal.timeout(60_000));
    const active = await dialect.waitUntilActive(created.id, { importing: true, timeoutMs: 60_000, timeoutName: "createTimeoutSeconds" });
    expect(active).toMatchObject({ status: "active", sizeBytes: data.length, checksum: md5(data) });
    expect(files.requests.some((r) => r.path === "/image.raw" && r.method === "GET" && r.status === 200)).toBe(true);
  });

  it("a URL that answers 404 is refused at once and the record stays queued", async () => {
    const created = await createQueued(dialect, `${prefix}-missing`);
    made.add(created.id);
    const error = await dialect.importFromUrl(created.id, files.url("/missing.raw"), AbortSignal.timeout(60_000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(404);
    expect((await dialect.get(created.id)).status).toBe("queued");
  });

  it("a source that breaks off mid-body: Glance kills the image, the wait ends with an ImportFailedError", async () => {
    // declares 1 MiB, sends 100 kB, then drops the connection
    const breaking = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(1 << 20) });
      if (req.method === "HEAD") return void res.end();
      res.write(Buffer.alloc(100_000, 1));
      setTimeout(() => res.socket?.destroy(), 100);
    });
    await new Promise<void>((resolve) => breaking.listen(0, "127.0.0.1", resolve));
    try {
      const created = await createQueued(dialect, `${prefix}-broken`);
      made.add(created.id);
      await dialect.importFromUrl(created.id, `http://127.0.0.1:${(breaking.address() as AddressInfo).port}/image.raw`, AbortSignal.timeout(60_000));
      const error = await dialect.waitUntilActive(created.id, { importing: true, timeoutMs: 60_000, timeoutName: "createTimeoutSeconds" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportFailedError);
      expect(error).toMatchObject({ imageId: created.id, lastStatus: "killed" });
      expect((error as ImportFailedError).message).toMatch(/Glance v1 killed the image while copying its data from the URL/);
    } finally {
      breaking.closeAllConnections();
      await new Promise<void>((resolve) => breaking.close(() => resolve()));
    }
  });
});
