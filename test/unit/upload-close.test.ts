/**
 * The upload closes the source file in a `finally`: a close that fails must not replace the upload's own
 * outcome (the error that ended it, or its result). The file is real; its handle is wrapped so that its
 * reads or its close fail as a failing disk or file system would (EIO). The dialect only drains the body
 * it is handed, as the transport does; no server answer is involved.
 */
import { mkdtemp, rm, writeFile, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { draining } from "../helpers/draining-dialect";
import { ImageSourceError } from "../../src/errors";
import { uploadSource } from "../../src/provider/upload";

const sabotage = { read: false, close: false };

vi.mock("../../src/source/file-source", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/source/file-source")>();
  const eio = (what: string): Error => Object.assign(new Error(`EIO: i/o error, ${what}`), { code: "EIO" });
  return {
    ...real,
    openSourceFile: async (path: string, field?: string) => {
      const opened = await real.openSourceFile(path, field);
      const handle = opened.handle;
      const wrapped = new Proxy(handle, {
        get(target, key) {
          if (key === "read" && sabotage.read) return async () => Promise.reject(eio("read"));
          if (key === "close") {
            return async () => {
              await target.close();
              if (sabotage.close) throw eio("close");
            };
          }
          const value = Reflect.get(target, key, target) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      }) as FileHandle;
      return { ...opened, handle: wrapped };
    },
  };
});


let dir: string;
let path: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pulumi-glance-close-"));
  path = join(dir, "data.bin");
  await writeFile(path, Buffer.alloc(100_000, 7));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("closing the source file", () => {
  it("a read that fails is reported as itself, not hidden by the close that fails after it", async () => {
    sabotage.read = true;
    sabotage.close = true;
    const error = await uploadSource(draining, "id-1", { file: path }, "test", new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageSourceError);
    expect((error as ImageSourceError).message).toMatch(/^source\.file: reading .*data\.bin failed after 0 of 100000 bytes \(.*EIO: i\/o error, read/);
  });

  it("a close that fails after every byte was sent leaves the upload's result", async () => {
    sabotage.read = false;
    sabotage.close = true;
    const result = await uploadSource(draining, "id-2", { file: path }, "test", new AbortController().signal);
    expect(result.digests.bytes).toBe(100_000);
    expect(result.fingerprint).toMatchObject({ kind: "file", size: 100_000 });
  });
});
