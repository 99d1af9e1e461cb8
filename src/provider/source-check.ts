import { DECOMPRESS_MODES } from "../source/compression";
import { isUnknown } from "./unknown";

const SOURCE_KEYS = new Set(["file", "url", "headers", "username", "password", "sha256", "sha512", "revalidate", "decompress", "glanceImage"]);

/**
 * `source` as `{ file }` or `{ url }` with the fields that go with each, and `importMethod`s that fit it
 * (`source.glanceImage` is checked in glance-image-check.ts), refused per field naming the fix.
 */
export function checkSource(inputs: Record<string, unknown>, fail: (p: string, r: string) => void): void {
  const source = inputs["source"];
  const method = inputs["importMethod"];
  if (source === undefined) {
    if (method === "web-download") fail("importMethod", "web-download needs source.url: set it, or use importMethod \"upload\"");
    if (method === "glance-direct") fail("importMethod", "glance-direct imports data the provider stages, and there is no source: set source.file or source.url, or leave importMethod out");
    return;
  }
  if (isUnknown(source)) return;
  if (typeof source !== "object" || source === null || Array.isArray(source)) return fail("source", "source must be { file } or { url }");
  const s = source as Record<string, unknown>;
  for (const key of Object.keys(s)) if (!SOURCE_KEYS.has(key)) fail(`source.${key}`, `unknown source field "${key}": use file, url, glanceImage, headers, username, password, sha256, sha512, revalidate or decompress`);
  const hasFile = s["file"] !== undefined;
  const hasUrl = s["url"] !== undefined;
  // source.glanceImage alone: checked in glance-image-check.ts.
  if (s["glanceImage"] !== undefined) return;
  if (hasFile && hasUrl) fail("source", "set either source.file or source.url, not both");
  if (!hasFile && !hasUrl) fail("source", "set source.file, source.url or source.glanceImage (or leave source out for an image without data)");
  if (hasFile && !isUnknown(s["file"]) && (typeof s["file"] !== "string" || s["file"] === "")) fail("source.file", "source.file must be a file path");
  if (hasUrl && !isUnknown(s["url"])) checkUrl(s["url"], fail);
  for (const [key, length] of [["sha256", 64], ["sha512", 128]] as const) {
    const digest = s[key];
    if (digest !== undefined && !isUnknown(digest) && (typeof digest !== "string" || !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(digest))) {
      fail(`source.${key}`, `source.${key} must be ${length} hexadecimal characters: use the output of ${key}sum, or leave it out`);
    }
  }
  const decompress = s["decompress"];
  if (decompress !== undefined && !isUnknown(decompress) && !(DECOMPRESS_MODES as readonly unknown[]).includes(decompress)) {
    fail("source.decompress", `source.decompress must be one of ${DECOMPRESS_MODES.join(", ")}: "auto" tells the format by the data's first bytes`);
  }
  if (method === "web-download" && decompress !== undefined && decompress !== "none") {
    fail("source.decompress", "with web-download Glance fetches the URL itself and cannot decompress: use importMethod \"upload\" (the provider decompresses in the stream), or set decompress \"none\"");
  }
  const headers = s["headers"];
  if (headers !== undefined && !isUnknown(headers) && (typeof headers !== "object" || headers === null || Object.values(headers).some((v) => typeof v !== "string"))) {
    fail("source.headers", "source.headers must be a map of header names to string values");
  }
  if (hasFile && (headers !== undefined || s["username"] !== undefined || s["password"] !== undefined)) {
    fail("source", "headers, username and password apply to source.url only: remove them");
  }
  const revalidate = s["revalidate"];
  if (revalidate !== undefined && !isUnknown(revalidate) && typeof revalidate !== "boolean") fail("source.revalidate", "source.revalidate must be true or false");
  if (hasFile && revalidate !== undefined) fail("source.revalidate", "source.revalidate applies to source.url (a file's content is always compared): remove it");
  if (method === "web-download" && hasFile) fail("importMethod", `web-download applies to source.url: use importMethod "upload" (or "glance-direct", "auto") for a file`);
  if (method === "web-download") {
    if (headers !== undefined || s["username"] !== undefined || s["password"] !== undefined) {
      fail("importMethod", "Glance's web-download cannot send headers or credentials: use importMethod \"upload\" to fetch through the provider");
    }
    if (s["sha256"] !== undefined) fail("source.sha256", "with web-download the bytes never pass through the provider, so only source.sha512 can be checked (against Glance's hash of the stored data): use sha512 or importMethod \"upload\"");
  }
}

function checkUrl(url: unknown, fail: (p: string, r: string) => void): void {
  if (typeof url !== "string") return fail("source.url", "source.url must be a string");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail("source.url", "source.url is not a valid absolute URL: write it as https://host/path/image.qcow2");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") fail("source.url", `scheme ${parsed.protocol} is not supported: use http:// or https:// (for a local file use source.file)`);
  if (parsed.username !== "" || parsed.password !== "") fail("source.url", "credentials in the URL would be stored in state: move them to source.username and source.password");
}
