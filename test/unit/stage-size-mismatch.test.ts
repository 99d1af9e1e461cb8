/**
 * A glance-direct stage whose answer is lost while Glance shows the stage closed (`uploading`, its size set)
 * with another size than was sent: the create ends at once saying so (no 30 s wait happened, and none is
 * claimed). The stage is a real file drained by the dialect as the transport drains a body; the records are
 * test/fixtures/image-active-known-data-newest.json (Glance 33) with the status and size of a closed stage.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { capabilitiesOf } from "../../src/dialects/registry";
import type { ImageDialect } from "../../src/dialects/dialect";
import { toRecord } from "../../src/dialects/glance-v2/mapping";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { ImageStatusError, NetworkError } from "../../src/errors";
import { uploadWithRetry } from "../../src/provider/upload-retry";
import recorded from "../fixtures/image-active-known-data-newest.json";

const SIZE = 65536;
let dir: string;
let path: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "stage-size-"));
  path = join(dir, "disk.raw");
  await writeFile(path, Buffer.alloc(SIZE, 7));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

it("Glance recorded a stage of another size than was sent: said so, after one look, without a claimed wait", async () => {
  const stagedSize = SIZE - 4096;
  let gets = 0;
  let stages = 0;
  const dialect = {
    capabilities: capabilitiesOf("v2"),
    endpoint: "http://127.0.0.1:9",
    async stage(id: string, data: AsyncIterable<Uint8Array>) {
      stages += 1;
      for await (const _chunk of data) void _chunk;
      throw new NetworkError("PUT", `http://127.0.0.1:9/v2/images/${id}/stage`, Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    },
    async get() {
      gets += 1;
      return toRecord({ ...(recorded as unknown as GlanceImage), status: "uploading", size: stagedSize, checksum: null, os_hash_algo: null, os_hash_value: null } as GlanceImage);
    },
  } as unknown as ImageDialect;

  const error = await uploadWithRetry(dialect, recorded.id, { file: path }, "glance image \"x\"", AbortSignal.timeout(20_000), { stage: true }).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ImageStatusError);
  expect((error as Error).message).toContain(`Glance recorded a stage of ${stagedSize} bytes, ${SIZE} were sent`);
  expect((error as Error).message).not.toContain("after 30 s");
  expect([stages, gets]).toEqual([1, 1]);
});
