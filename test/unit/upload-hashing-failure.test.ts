/**
 * A hashing thread that stops mid-upload is no fault of the file: the upload fails with the hashing
 * thread's own error (not "reading X failed … check the file"), and does not hang. The thread is the real
 * one, running the shipped code plus a listener that throws on the third piece of data it is told to hash;
 * the file is real; the dialect only drains the body it is handed, as the transport does.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { draining } from "../helpers/draining-dialect";
import { GlanceError, ImageSourceError } from "../../src/errors";
import { uploadSource } from "../../src/provider/upload";

vi.mock("../../src/source/worker-digester", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/source/worker-digester")>();
  const { HashingPool } = await vi.importActual<typeof import("../../src/source/hashing-pool")>("../../src/source/hashing-pool");
  const breaking = `\nlet pieces = 0;\nparentPort.on("message", (m) => { if (m.type === "chunk" && ++pieces === 3) throw new TypeError("hashing broke"); });`;
  const pool = new HashingPool((source: string) => new Worker(source + breaking, { eval: true }), 1);
  class BreakingDigester extends real.WorkerDigester {
    constructor(options: ConstructorParameters<typeof real.WorkerDigester>[0]) {
      super(options, pool);
    }
  }
  return { ...real, WorkerDigester: BreakingDigester, hashOffThread: () => true };
});


let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-glance-hash-fail-"));
  await writeFile(join(dir, "data.bin"), Buffer.alloc(8 * 1024 * 1024 + 3, 5));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the hashing thread stops mid-upload", () => {
  it.each([
    ["as read", "none"],
    ["with decompress auto (two streams hashed: as read, as uploaded)", "auto"],
  ] as const)("a file %s: the upload rejects with the hashing thread's error, not as a broken read of the file", async (_what, decompress) => {
    const error = await uploadSource(draining, "id-1", { file: join(dir, "data.bin"), decompress }, "test", new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GlanceError);
    expect(error).not.toBeInstanceOf(ImageSourceError);
    expect(String(error)).toMatch(/internal: the hashing thread stopped \(hashing broke\): run pulumi up again/);
  });
});
