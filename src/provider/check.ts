import type { CheckFailure } from "@pulumi/pulumi/dynamic";
import type { AllowedFormats, DialectCapabilities } from "../dialects/dialect";
import { propertyField } from "../dialects/image-record";
import { DEFAULT_API_VERSION, KNOWN_VISIBILITIES, capabilitiesOf } from "../dialects/registry";
import { CREATE_MARKER_PROPERTY } from "./create-marker";
import { TYPED_PROPERTIES, TYPED_PROPERTY_INPUTS } from "./typed-properties";
import { MAX_NAME_LENGTH, MAX_PROPERTIES, MAX_TAG_LENGTH, MAX_TAGS } from "./limits";
import { checkAdopt } from "./adopt-check";
import { checkSource } from "./source-check";
import { checkStores } from "./stores-check";
import { checkGlanceDownloadOffered, checkGlanceImage, declaresGlanceImage } from "./glance-image-check";
import { fromPropertyPairs } from "./property-pairs";
import { DELETE_POLICIES, IMPORT_METHODS, type ImageInputs } from "./inputs";
import { isUnknown } from "./unknown";

export type { AllowedFormats };


/** Defaults applied by `check`, so they are visible in state and diffs. `protected` has none: unset is not managed. */
export const DEFAULTS = {
  containerFormat: "bare",
  visibility: "private",
  hidden: false,
  minDiskGb: 0,
  minRamMb: 0,
  importMethod: "upload",
  createTimeoutSeconds: 1800,
  deletePolicy: "delete",
} as const;

const KNOWN_INPUTS = new Set<string>([
  "name", "diskFormat", "containerFormat", "visibility", "protected", "deactivated", "hidden", "minDiskGb", "minRamMb", "tags",
  "applicationNames", "properties", ...TYPED_PROPERTY_INPUTS, "source", "importMethod", "imageId", "region", "cloud", "createTimeoutSeconds",
  "deletePolicy", "createKey", "adopt", "deleteAdopted", "stores", "allStores", "allStoresMustSucceed", "__provider",
]);

/** Attributes with a default that an adopted image leaves unmanaged when undeclared (see ImageInputs). */
const UNMANAGED_WHEN_ADOPTED = ["visibility", "hidden", "minDiskGb", "minRamMb"] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates raw inputs and applies defaults. Pure: every problem becomes a failure naming the
 * property and the fix; values Pulumi does not know yet (preview) are let through unchecked. What the
 * image API cannot hold (`capabilities`; default: the default API's) is refused per field naming the API;
 * `null` (the API is not known yet) skips those refusals.
 */
export function checkInputs(
  news: Record<string, unknown>,
  allowed: AllowedFormats | undefined,
  capabilities: DialectCapabilities | null = capabilitiesOf(DEFAULT_API_VERSION) ?? null,
  /** The cloud's store ids (`/v2/info/stores`; `[]`: single-store), when read: `stores` must name them. */
  knownStores?: readonly string[],
  /** The import methods the cloud offers (`/v2/info/import`), when read: glance-download must be one. */
  offeredMethods?: readonly string[],
): { inputs: ImageInputs; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string): void => {
    failures.push({ property, reason });
  };
  const defaults: Record<string, unknown> = { ...DEFAULTS };
  if (news["adopt"] !== undefined) for (const key of UNMANAGED_WHEN_ADOPTED) delete defaults[key];
  const inputs: Record<string, unknown> = { ...defaults, ...definedOnly(news) };
  if (inputs["properties"] !== undefined) inputs["properties"] = fromPropertyPairs(inputs["properties"]);
  // Another region's image is copied by glance-download: the default method with it.
  if (news["importMethod"] === undefined && declaresGlanceImage(news["source"])) inputs["importMethod"] = "glance-download";

  for (const key of Object.keys(news)) if (!KNOWN_INPUTS.has(key)) fail(key, `unknown input "${key}": remove it (custom Glance properties go in "properties")`);

  const str = (key: string, required: boolean): void => {
    const value = inputs[key];
    if (isUnknown(value)) return;
    if (value === undefined) {
      if (required) fail(key, `${key} is required: set it${key === "diskFormat" ? " (e.g. \"qcow2\" or \"raw\")" : ""}`);
    } else if (typeof value !== "string" || value === "") fail(key, `${key} must be a non-empty string: set it to text or leave it out`);
  };
  str("name", true);
  const name = inputs["name"];
  const nameProblem = typeof name === "string" && name !== "" && !isUnknown(name) ? capabilities?.nameProblem?.(name) : undefined;
  if (nameProblem !== undefined) fail("name", nameProblem);
  if (typeof inputs["name"] === "string" && inputs["name"].length > MAX_NAME_LENGTH) fail("name", `name is ${inputs["name"].length} characters long: Glance allows at most ${MAX_NAME_LENGTH}, use a shorter name`);
  str("diskFormat", true);
  str("containerFormat", true);
  checkEnum(inputs, "diskFormat", allowed?.diskFormats, fail);
  checkEnum(inputs, "containerFormat", allowed?.containerFormats, fail);
  checkEnum(inputs, "visibility", KNOWN_VISIBILITIES, fail);
  checkEnum(inputs, "importMethod", IMPORT_METHODS, fail);
  checkEnum(inputs, "deletePolicy", DELETE_POLICIES, fail);
  for (const key of ["protected", "deactivated", "hidden"]) {
    const value = inputs[key];
    // hidden is unset only with adopt (not managed then); protected and deactivated are unmanaged when unset
    if (!isUnknown(value) && typeof value !== "boolean" && value !== undefined) fail(key, `${key} must be true or false${key === "hidden" ? "" : ` (or leave it out to leave ${key === "protected" ? "protection" : "activation"} alone)`}`);
  }
  if (inputs["deactivated"] === true && inputs["source"] === undefined) {
    fail("deactivated", "only an active image can be deactivated, and an image without data stays queued: set source, or remove deactivated");
  }
  for (const key of ["minDiskGb", "minRamMb"]) {
    const value = inputs[key];
    if (!isUnknown(value) && value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
      fail(key, `${key} must be a whole number of ${key === "minDiskGb" ? "GiB" : "MiB"}, 0 or more (got ${JSON.stringify(value)}): use e.g. ${key === "minDiskGb" ? "10" : "512"}, or leave it out for 0`);
    }
  }
  const timeout = inputs["createTimeoutSeconds"];
  if (!isUnknown(timeout) && (typeof timeout !== "number" || !(timeout > 0))) fail("createTimeoutSeconds", "createTimeoutSeconds must be a positive number of seconds: use e.g. 3600, or leave it out for 1800");
  for (const key of [...TYPED_PROPERTY_INPUTS, "region", "cloud"]) str(key, false);
  const imageId = inputs["imageId"];
  if (imageId !== undefined && !isUnknown(imageId) && (typeof imageId !== "string" || !UUID.test(imageId))) {
    fail("imageId", "imageId must be a UUID such as 8f2e1c44-5a4b-4c1e-9d3f-2b7a6c0e1f00 (or leave it out and Glance's id is generated)");
  }
  const key = inputs["createKey"];
  if (key !== undefined && !isUnknown(key) && (typeof key !== "string" || !/^[0-9a-f]{32}$/.test(key))) fail("createKey", "createKey is internal (set by Image): remove it");
  checkTags(inputs["tags"], fail);
  checkApplicationNames(inputs["applicationNames"], fail);
  checkProperties(inputs, capabilities, fail);
  checkSource(inputs, fail);
  checkStores(inputs, knownStores, fail, capabilities);
  checkGlanceImage(inputs, fail);
  checkGlanceDownloadOffered(inputs, capabilities, offeredMethods, fail);
  checkAdopt(inputs, capabilities, fail);
  if (capabilities !== null) checkCapabilities(inputs, capabilities, fail);
  return { inputs: inputs as unknown as ImageInputs, failures };
}

function checkEnum(inputs: Record<string, unknown>, key: string, allowed: readonly string[] | undefined, fail: (p: string, r: string) => void): void {
  const value = inputs[key];
  if (allowed === undefined || isUnknown(value) || typeof value !== "string" || value === "") return;
  if (!allowed.includes(value)) fail(key, `${key} "${value}" is not allowed here: use one of ${allowed.join(", ")}`);
}

function checkTags(tags: unknown, fail: (p: string, r: string) => void): void {
  if (tags === undefined || isUnknown(tags)) return;
  if (!Array.isArray(tags)) return fail("tags", "tags must be a list of strings");
  const unique = new Set<string>();
  tags.forEach((tag, index) => {
    if (isUnknown(tag)) return;
    if (typeof tag !== "string" || tag === "") return fail(`tags[${index}]`, "a tag must be a non-empty string");
    if (tag.length > MAX_TAG_LENGTH) fail(`tags[${index}]`, `tag is ${tag.length} characters long: Glance allows at most ${MAX_TAG_LENGTH}, use a shorter tag`);
    unique.add(tag);
  });
  if (unique.size > MAX_TAGS) fail("tags", `${unique.size} tags: Glance allows at most ${MAX_TAGS} per image, remove ${unique.size - MAX_TAGS}`);
}

function checkApplicationNames(names: unknown, fail: (p: string, r: string) => void): void {
  if (names === undefined || isUnknown(names)) return;
  if (!Array.isArray(names)) return fail("applicationNames", "applicationNames must be a list of strings, e.g. [\"viewer\", \"mysql\"]");
  names.forEach((name, index) => {
    if (!isUnknown(name) && (typeof name !== "string" || name.trim() === "")) fail(`applicationNames[${index}]`, "an application name must be a non-empty string: remove the empty entry");
  });
}

function checkProperties(inputs: Record<string, unknown>, capabilities: DialectCapabilities | null, fail: (p: string, r: string) => void): void {
  for (const input of TYPED_PROPERTY_INPUTS) {
    const value = inputs[input];
    const problem = typeof value === "string" && value !== "" && !isUnknown(value) ? capabilities?.propertyProblem?.(TYPED_PROPERTIES[input], value) : undefined;
    if (problem !== undefined) fail(input, problem);
  }
  const properties = inputs["properties"];
  if (properties === undefined || isUnknown(properties)) return;
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) return fail("properties", "properties must be a map of string keys to string values");
  const typedKeys = new Map<string, string>(Object.entries(TYPED_PROPERTIES).map(([input, key]) => [key, input]));
  for (const [key, value] of Object.entries(properties)) {
    const where = propertyField(key);
    if (key === "__proto__") fail(where, `"__proto__" cannot be managed: Pulumi's JavaScript runtime cannot keep it in a map (state and outputs drop it), so it could never be compared or removed; rename it`);
    else if (capabilities?.isReservedProperty(key) === true) fail(where, capabilities.explainReservedProperty?.(key) ?? `"${key}" is reserved by ${capabilities.label}: remove it`);
    else if (key === CREATE_MARKER_PROPERTY) fail(where, `"${key}" is this provider's create marker: remove it`);
    else if (typedKeys.has(key)) fail(where, `"${key}" has its own input: set ${typedKeys.get(key) ?? ""} instead`);
    if (!isUnknown(value) && typeof value !== "string") fail(where, `Glance property values are strings: write ${JSON.stringify(String(value))}`);
    else if (typeof value === "string" && !isUnknown(value) && !capabilities?.isReservedProperty(key) && key !== CREATE_MARKER_PROPERTY && !typedKeys.has(key)) {
      const problem = capabilities?.propertyProblem?.(key, value);
      if (problem !== undefined) fail(where, problem);
    }
  }
  const count = Object.keys(properties).length + TYPED_PROPERTY_INPUTS.filter((k) => inputs[k] !== undefined).length;
  if (count > MAX_PROPERTIES) fail("properties", `${count} properties: Glance allows at most ${MAX_PROPERTIES} per image, remove ${count - MAX_PROPERTIES}`);
}

/**
 * Every declared input the API cannot honour, refused per field and naming the API: nothing is dropped
 * silently. Neutral values (no tags, not hidden, upload) are what every API holds.
 */
function checkCapabilities(inputs: Record<string, unknown>, capabilities: DialectCapabilities, fail: (p: string, r: string) => void): void {
  const api = capabilities.label;
  const other = "use glance:apiVersion v2";
  const tags = inputs["tags"];
  if (!capabilities.tags && Array.isArray(tags) && tags.length > 0) fail("tags", `${api} has no tags: remove tags or ${other}`);
  if (capabilities.deactivate !== true && inputs["deactivated"] === true) fail("deactivated", `${api} cannot deactivate images: remove deactivated or ${other}`);
  if (capabilities.applicationNames !== true && inputs["applicationNames"] !== undefined) {
    fail("applicationNames", `${api} has no application names (an input of glance:apiVersion vendor-htaiyun only): remove applicationNames`);
  }
  if (!capabilities.hidden && inputs["hidden"] === true) fail("hidden", `${api} has no hidden images: remove hidden or ${other}`);
  if (!capabilities.hidden && inputs["deletePolicy"] === "retire") fail("deletePolicy", `${api} has no hidden images, which deletePolicy "retire" makes: use deletePolicy "delete" or ${other}`);
  if (!capabilities.webDownload && inputs["importMethod"] === "web-download") {
    fail("importMethod", `${api} has no web-download (the server fetching the URL): use importMethod "upload" (or "auto") or ${other}`);
  }
  const source = inputs["source"] as Record<string, unknown> | undefined;
  if (capabilities.verifiedBy === "md5" && inputs["importMethod"] === "web-download" && typeof source === "object" && source !== null && source["sha512"] !== undefined) {
    fail("source.sha512", `${api} records only an MD5 checksum of data it fetches itself, so source.sha512 cannot be checked with web-download: use importMethod "upload" (the stream computes it) or ${other}`);
  }
  if (capabilities.glanceDirect !== true && inputs["importMethod"] === "glance-direct") {
    fail("importMethod", `${api} has no glance-direct import (stage, then import): use importMethod "upload" or ${other}`);
  }
  if (capabilities.stores !== true) {
    if (inputs["stores"] !== undefined) fail("stores", `${api} has no stores: remove stores or ${other}`);
    if (inputs["allStores"] === true) fail("allStores", `${api} has no stores: remove allStores or ${other}`);
    if (inputs["allStoresMustSucceed"] !== undefined) fail("allStoresMustSucceed", `${api} has no stores: remove allStoresMustSucceed or ${other}`);
  }
  const visibility = inputs["visibility"];
  if (typeof visibility === "string" && KNOWN_VISIBILITIES.includes(visibility) && !capabilities.visibilities.includes(visibility)) {
    const fix = capabilities.visibilities.length === 0 ? other : `use ${capabilities.visibilities.join(" or ")}, or ${other}`;
    fail("visibility", `${api} has no ${visibility} images: ${fix}`);
  }
  for (const problem of capabilities.inputProblems?.(inputs) ?? []) fail(problem.property, problem.reason);
}

function definedOnly(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
