/** #11.2: what of a source URL state may hold, and what identifies the object behind it. */
import { describe, expect, it } from "vitest";
import { hasUrlSecrets, isCredentialParam, maskUrl, urlIdentity } from "../../src/source/url-identity";

describe("#11.2 source URL identity and masking", () => {
  it("masks every query value and drops userinfo and fragment, keeping origin, path and parameter names", () => {
    expect(maskUrl("https://u:pw@host:8443/a/b.qcow2?version=7&X-Amz-Signature=deadbeef#frag")).toBe("https://host:8443/a/b.qcow2?version=***&X-Amz-Signature=***");
    expect(maskUrl("https://host/a.img")).toBe("https://host/a.img");
    expect(maskUrl("not a url ?token=x")).toBe("***");
  });

  it("knows which URLs carry something to hide", () => {
    expect(hasUrlSecrets("https://host/a.img")).toBe(false);
    expect(hasUrlSecrets("https://host/a.img?v=1")).toBe(true);
    expect(hasUrlSecrets("https://u:p@host/a.img")).toBe(true);
  });

  it.each([
    ["X-Amz-Signature", true], ["X-Amz-Credential", true], ["X-Amz-Security-Token", true], ["X-Goog-Signature", true],
    ["Expires", true], ["Signature", true], ["Key-Pair-Id", true], ["temp_url_sig", true], ["temp_url_expires", true],
    ["sig", true], ["se", true], ["token", true], ["versionId", false], ["version", false], ["arch", false],
  ])("%s is a credential parameter: %s", (name, credential) => {
    expect(isCredentialParam(name)).toBe(credential);
  });

  it("the identity ignores credential parameters, their order and userinfo, and follows the rest", () => {
    const base = "https://h/p.img?version=2&X-Amz-Signature=aaa&X-Amz-Date=1";
    expect(urlIdentity("https://user:pw@h/p.img?X-Amz-Date=2&X-Amz-Signature=bbb&version=2")).toBe(urlIdentity(base));
    expect(urlIdentity("https://h/p.img?version=3&X-Amz-Signature=aaa")).not.toBe(urlIdentity(base));
    expect(urlIdentity("https://h/q.img?version=2")).not.toBe(urlIdentity(base));
    expect(urlIdentity("https://other/p.img?version=2")).not.toBe(urlIdentity(base));
    expect(urlIdentity(base)).toMatch(/^[0-9a-f]{64}$/);
  });
});
