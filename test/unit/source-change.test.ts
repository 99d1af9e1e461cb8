/** URL verdicts of compareSource: pure (a URL is never fetched to decide), so no server is involved. */
import { describe, expect, it } from "vitest";
import type { SourceFingerprint } from "../../src/provider/inputs";
import { compareSource } from "../../src/provider/source-change";
import { maskUrl, urlFingerprint } from "../../src/source/url-identity";
import { UNKNOWN } from "../../src/provider/unknown";

const url = "https://images.example.com/noble.qcow2";
const sha512 = "ab".repeat(64);
// What a URL upload records: sha512 always, sha256 only when source.sha256 asked for it.
const print: SourceFingerprint = { ...urlFingerprint(url), size: 123, sha512 };

describe("compareSource for URLs", () => {
  it("#11.2 state written by 0.1.0 (raw pre-signed URL, no identity): a re-signed URL is the same source", async () => {
    const old = "https://s3.example.com/b/o.img?X-Amz-Signature=aaa&X-Amz-Expires=1";
    const legacy: SourceFingerprint = { kind: "url", location: old, size: 1, sha512 };
    const verdict = await compareSource({ source: { url: old }, fingerprint: legacy }, { url: "https://s3.example.com/b/o.img?X-Amz-Signature=bbb&X-Amz-Expires=2" });
    expect(verdict.replace).toBe(false);
  });

  it("#11.2 the masked URL a refresh records (copied back by ignoreChanges) is the same source", async () => {
    const real = "https://s3.example.com/b/o.img?versionId=7&X-Amz-Signature=aaa";
    const masked = maskUrl(real);
    expect(masked).toBe("https://s3.example.com/b/o.img?versionId=***&X-Amz-Signature=***");
    expect((await compareSource({ source: { url: masked }, fingerprint: { ...urlFingerprint(real), size: 1, sha512 } }, { url: masked })).replace).toBe(false);
  });

  it("the same URL is the same source", async () => {
    expect(await compareSource({ source: { url }, fingerprint: print }, { url })).toEqual({ replace: false });
  });

  it("another URL replaces the image", async () => {
    expect(await compareSource({ source: { url }, fingerprint: print }, { url: `${url}?v=2` })).toMatchObject({ replace: true, reason: "source.url changed" });
  });

  it("#11.6 an added sha512 that matches the uploaded bytes is no change", async () => {
    expect(await compareSource({ source: { url }, fingerprint: print }, { url, sha512: sha512.toUpperCase() })).toEqual({ replace: false });
  });

  it("an added sha512 that does not match replaces the image", async () => {
    expect(await compareSource({ source: { url }, fingerprint: print }, { url, sha512: "cd".repeat(64) })).toMatchObject({ replace: true, reason: "source.sha512 no longer matches the uploaded bytes" });
  });

  it("an added sha256 replaces the image: the uploaded bytes' sha256 was not computed, so it cannot be checked", async () => {
    expect(await compareSource({ source: { url }, fingerprint: print }, { url, sha256: "ef".repeat(32) })).toMatchObject({
      replace: true,
      reason: "source.sha256 changed and the uploaded bytes' sha256 is not known",
    });
  });

  const signed = (signature: string, extra = ""): string =>
    `https://bucket.s3.example.com/noble.qcow2?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA${signature}%2F20260101&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600${extra}&X-Amz-Signature=${signature}`;

  it("#11.2 a re-signed pre-signed URL (new signature, credential, expiry) is the same source", async () => {
    const before = signed("aaaa1111");
    const stored = { source: { url: "https://bucket.s3.example.com/noble.qcow2?X-Amz-Algorithm=***" }, fingerprint: { ...urlFingerprint(before), size: 123, sha512 } };
    expect(await compareSource(stored, { url: signed("bbbb2222") })).toEqual({ replace: false });
  });

  it("#11.2 a changed non-credential query parameter of a signed URL replaces the image", async () => {
    const stored = { source: { url: "masked" }, fingerprint: { ...urlFingerprint(signed("aaaa1111", "&versionId=1")), size: 123, sha512 } };
    expect(await compareSource(stored, { url: signed("aaaa1111", "&versionId=2") })).toMatchObject({ replace: true, reason: "source.url changed" });
    expect(await compareSource(stored, { url: signed("cccc3333", "&versionId=1") })).toEqual({ replace: false });
  });

  it("#11.2 state from before URL identities is compared by its stored URL; one with a query is rewritten once", async () => {
    const plain = { kind: "url", location: url, size: 123, sha512 } as const;
    expect(await compareSource({ source: { url }, fingerprint: plain }, { url })).toEqual({ replace: false });
    expect(await compareSource({ source: { url }, fingerprint: plain }, { url: `${url}?v=2` })).toMatchObject({ replace: true });
    const queried = `${url}?X-Amz-Signature=abc`;
    const legacy = { kind: "url", location: queried, size: 123, sha512 } as const;
    expect(await compareSource({ source: { url: queried }, fingerprint: legacy }, { url: queried })).toMatchObject({ replace: false, rewrite: "the stored URL is rewritten without its query values" });
  });

  it("#11.6 an added sha256 that matches a recorded one is no change", async () => {
    const withSha256 = { ...print, sha256: "ef".repeat(32) };
    expect(await compareSource({ source: { url }, fingerprint: withSha256 }, { url, sha256: "ef".repeat(32) })).toEqual({ replace: false });
  });
});

describe("#11.9 two expected digests changed at once", () => {
  const both = { ...print, sha256: "ef".repeat(32) };
  it("a matching sha512 does not hide a sha256 that no longer matches", async () => {
    expect(await compareSource({ source: { url }, fingerprint: both }, { url, sha512, sha256: "00".repeat(32) })).toEqual({
      replace: true,
      reason: "source.sha256 no longer matches the uploaded bytes",
    });
  });
  it("a matching sha256 does not hide a sha512 that no longer matches", async () => {
    expect(await compareSource({ source: { url }, fingerprint: both }, { url, sha256: "ef".repeat(32), sha512: "cd".repeat(64) })).toEqual({
      replace: true,
      reason: "source.sha512 no longer matches the uploaded bytes",
    });
  });
  it("both wrong: both are named", async () => {
    expect(await compareSource({ source: { url }, fingerprint: both }, { url, sha256: "00".repeat(32), sha512: "cd".repeat(64) })).toMatchObject({
      replace: true,
      reason: "source.sha256 no longer matches the uploaded bytes; source.sha512 no longer matches the uploaded bytes",
    });
  });
  it("both matching: no change", async () => {
    expect(await compareSource({ source: { url }, fingerprint: both }, { url, sha256: "EF".repeat(32), sha512 })).toEqual({ replace: false });
  });
});

describe("#11.6 source changes that keep the data are no change", () => {
  it("a removed digest, a changed username", async () => {
    expect(await compareSource({ source: { url, sha512, username: "a" }, fingerprint: print }, { url, username: "b" })).toEqual({ replace: false });
  });
});

describe("#11.7 unknown source fields at preview", () => {
  const before = { url, username: "u" };
  it.each([["headers", { headers: UNKNOWN }], ["username", { username: UNKNOWN }], ["password", { password: UNKNOWN }], ["a header value", { headers: { "X-Token": UNKNOWN } }]])(
    "an unknown %s does not replace the image",
    async (_name, change) => {
      expect(await compareSource({ source: before, fingerprint: print }, { ...before, ...change } as never)).toEqual({ replace: false });
    },
  );
  it.each([["url"], ["sha256"], ["sha512"]] as const)("an unknown %s (the data's identity) replaces it", async (key) => {
    expect(await compareSource({ source: before, fingerprint: print }, { ...before, [key]: UNKNOWN })).toEqual({ replace: true, reason: `source.${key} is not known until apply` });
  });
  it("an unknown file replaces it", async () => {
    expect(await compareSource({ source: { file: "/x" }, fingerprint: print }, { file: UNKNOWN })).toMatchObject({ replace: true, reason: "source.file is not known until apply" });
  });
  it("a source unknown as a whole replaces it", async () => {
    expect(await compareSource({ source: before, fingerprint: print }, UNKNOWN as never)).toMatchObject({ replace: true, reason: "source is not known until apply" });
  });
});
