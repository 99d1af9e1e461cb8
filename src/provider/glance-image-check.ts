import type { DialectCapabilities } from "../dialects/dialect";
import { SERVICE_INTERFACES } from "./inputs";
import { isUnknown } from "./unknown";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GLANCE_IMAGE_KEYS = new Set(["id", "region", "serviceInterface"]);
/** Source fields that say how to fetch or check bytes the provider sees: none applies to a copy Glance makes. */
const BYTE_FIELDS = ["file", "url", "headers", "username", "password", "sha256", "sha512", "decompress", "revalidate"] as const;

/** True when the raw source declares `glanceImage` (another region's image). */
export function declaresGlanceImage(source: unknown): boolean {
  return typeof source === "object" && source !== null && !isUnknown(source) && (source as Record<string, unknown>)["glanceImage"] !== undefined;
}

/**
 * `source.glanceImage` (`{ id, region, serviceInterface? }`) alone in `source`, with `importMethod`
 * `glance-download` or `auto`; `glance-download` only with it; not with `adopt`.
 */
export function checkGlanceImage(inputs: Record<string, unknown>, fail: (p: string, r: string) => void): void {
  const method = inputs["importMethod"];
  const source = inputs["source"];
  if (!declaresGlanceImage(source)) {
    if (method === "glance-download") fail("importMethod", "glance-download copies another region's image, and source.glanceImage names none: set source.glanceImage { id, region }, or use another importMethod");
    return;
  }
  const s = source as Record<string, unknown>;
  for (const key of BYTE_FIELDS) {
    if (s[key] !== undefined) fail(`source.${key}`, `source.glanceImage is copied by Glance itself from the other region, so source.${key} does not apply: remove it (the copy's hash is verified against the source image's)`);
  }
  if (typeof method === "string" && !isUnknown(method) && method !== "glance-download" && method !== "auto") {
    fail("importMethod", `source.glanceImage is copied by Glance's glance-download import, not by ${method}: use importMethod "glance-download" (the default with glanceImage) or "auto"`);
  }
  if (inputs["adopt"] !== undefined) fail("adopt", "adopt takes over an existing image, source.glanceImage makes a copy: remove one of them");
  const ref = s["glanceImage"];
  if (isUnknown(ref)) return;
  if (typeof ref !== "object" || ref === null || Array.isArray(ref)) return fail("source.glanceImage", 'source.glanceImage must be { id: "<image UUID>", region: "<region>" }');
  const r = ref as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!GLANCE_IMAGE_KEYS.has(key)) fail(`source.glanceImage.${key}`, `unknown field "${key}": source.glanceImage takes id, region and serviceInterface`);
  const id = r["id"];
  if (!isUnknown(id) && (typeof id !== "string" || !UUID.test(id))) fail("source.glanceImage.id", "source.glanceImage.id must be the UUID of the image in the other region (Glance refuses anything else)");
  const region = r["region"];
  if (!isUnknown(region) && (typeof region !== "string" || region === "")) fail("source.glanceImage.region", "source.glanceImage.region must name the region holding the image, as Keystone's catalog names it (e.g. RegionOne)");
  const iface = r["serviceInterface"];
  if (iface !== undefined && !isUnknown(iface) && !(SERVICE_INTERFACES as readonly unknown[]).includes(iface)) {
    fail("source.glanceImage.serviceInterface", `source.glanceImage.serviceInterface must be one of ${SERVICE_INTERFACES.join(", ")} (default public)`);
  }
}

/**
 * glance-download (declared, or what `auto` makes of `source.glanceImage`) where the API has none, or where
 * the cloud does not offer it (`offered`: the methods `/v2/info/import` lists, when read), refused on
 * `importMethod` naming the fix.
 */
export function checkGlanceDownloadOffered(
  inputs: Record<string, unknown>,
  capabilities: DialectCapabilities | null,
  offered: readonly string[] | undefined,
  fail: (p: string, r: string) => void,
): void {
  const method = inputs["importMethod"];
  if (method !== "glance-download" && !(method === "auto" && declaresGlanceImage(inputs["source"]))) return;
  const copy = "or copy the data yourself (source.url of the image's file in the other region, with importMethod \"upload\")";
  if (capabilities !== null && capabilities.glanceDownload !== true) {
    return fail("importMethod", `${capabilities.label} has no glance-download import (copying an image from another region): use glance:apiVersion v2 on a Glance that offers it, ${copy}`);
  }
  if (offered !== undefined && !offered.includes("glance-download")) {
    const why = capabilities?.explainImportMethodMissing?.("glance-download", offered) ?? `it offers ${offered.length === 0 ? "no import methods" : offered.join(", ")}`;
    fail("importMethod", `this cloud does not offer glance-download (${why}): use another importMethod, ${copy}`);
  }
}
