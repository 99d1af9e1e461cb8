/**
 * MD5 is computed in the stream only for an API that verifies with it (`capabilities.verifiedBy === "md5"`),
 * and the server's `checksum` is then compared with it; otherwise the multihash is compared. The record is
 * the one a real Glance returned for 64 KiB of data (test/fixtures/image-active.json): its checksum and
 * sha512 are the server's digests of those bytes.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { toRecord } from "../../src/dialects/glance-v2/mapping";
import type { GlanceImage } from "../../src/dialects/glance-v2/types";
import { ChecksumMismatchError } from "../../src/errors";
import { Digester } from "../../src/source/digester";
import { verifyUpload } from "../../src/provider/verify";
import activeImage from "../fixtures/image-active.json";

const record = toRecord(activeImage as unknown as GlanceImage);
const sent = (over: { md5?: string; sha512?: string; bytes?: number } = {}) => ({
  sha512: over.sha512 ?? record.hashValue ?? "",
  bytes: over.bytes ?? record.sizeBytes ?? 0,
  ...(over.md5 === undefined ? {} : { md5: over.md5 }),
});
const md5Api = { label: "Glance v1", verifiedBy: "md5" } as const;
const hashApi = { label: "Glance v2", verifiedBy: "multihash" } as const;

describe("Digester md5", () => {
  it("is computed only when asked, alongside sha512", () => {
    const data = Buffer.from("pulumi-glance");
    const plain = new Digester({ sha256: false });
    const withMd5 = new Digester({ sha256: false, md5: true });
    plain.update(data);
    withMd5.update(data);
    expect(plain.digests()).not.toHaveProperty("md5");
    expect(withMd5.digests()).toMatchObject({ md5: createHash("md5").update(data).digest("hex"), bytes: data.length });
    expect(withMd5.digests().sha512).toBe(plain.digests().sha512);
  });
});

describe("verifyUpload by the API's digest", () => {
  it("md5: the server's checksum matching the stream's md5 passes (the multihash is not consulted)", () => {
    expect(() => verifyUpload(record, sent({ md5: record.checksum ?? "", sha512: "0".repeat(128) }), {}, md5Api)).not.toThrow();
  });

  it("md5: a different checksum is a ChecksumMismatchError naming md5 and the API", () => {
    const error = (() => {
      try {
        verifyUpload(record, sent({ md5: "0".repeat(32) }), {}, md5Api);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect((error as Error).message).toMatch(/md5/);
    expect((error as Error).message).toMatch(/Glance v1's checksum differs from the bytes sent/);
  });

  it("os_hash: the multihash is compared, a wrong sha512 fails even with a matching md5", () => {
    expect(() => verifyUpload(record, sent(), {}, hashApi)).not.toThrow();
    expect(() => verifyUpload(record, sent({ sha512: "0".repeat(128), md5: record.checksum ?? "" }), {}, hashApi)).toThrow(ChecksumMismatchError);
  });
});
