import type { DialectCapabilities } from "../dialect";
import { INPUT_ROWS } from "./contract";
import { VENDOR_LABEL } from "./mapping";
import { APPLICATIONS_KEY, DESCRIPTION_KEY } from "./wire";

type Problem = { readonly property: string; readonly reason: string };

/** Pulumi's marker for a value not known yet (preview; the provider's `unknown.ts` has the same): checked at apply. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const known = (v: unknown): boolean => v !== UNKNOWN;

const OTHER = "or use glance:apiVersion v2";
/** Typed inputs that are Glance properties; only `description` has a field in this API. */
const TYPED_WITHOUT_FIELD = ["osDistro", "osVersion", "osType", "architecture", "hypervisorType"];

/** The documented formats (L35, L41), lower-case as the results give them; UNRECOGNIZED is openstack4j's fallback, not a format. */
function documented(name: string): readonly string[] {
  const row = INPUT_ROWS.find((r) => r.op === "create" && r.name === name);
  return (row?.values ?? []).filter((v) => v !== "UNRECOGNIZED").map((v) => v.toLowerCase());
}
export const VENDOR_DISK_FORMATS = documented("diskFormat");
export const VENDOR_CONTAINER_FORMATS = documented("containerFormat");

/**
 * What the vendor API (seed 004) cannot hold, per input. `source` means the image's address here: the
 * platform is given `imageAddress` (L43-47) and receives no bytes, so `source.url` is sent as it is, with
 * importMethod `web-download` (or `auto`): nothing passes through the provider, so nothing can be hashed.
 */
function inputProblems(inputs: Readonly<Record<string, unknown>>): Problem[] {
  const out: Problem[] = [];
  const fail = (property: string, reason: string): void => void out.push({ property, reason });
  if (inputs["protected"] === true) fail("protected", `${VENDOR_LABEL} has no protected images (isProtected is only read, L259-262): remove protected ${OTHER}`);
  for (const [key, unit] of [["minDiskGb", "disk"], ["minRamMb", "RAM"]] as const) {
    const v = inputs[key];
    if (known(v) && typeof v === "number" && v !== 0) {
      fail(key, `${VENDOR_LABEL} sets no minimum ${unit} (minRam/minDisk are only read; minLimit's unit is undocumented, L133-137): remove ${key} ${OTHER}`);
    }
  }
  const imageId = inputs["imageId"];
  if (imageId !== undefined && known(imageId)) fail("imageId", `${VENDOR_LABEL} chooses the image id itself (unique): remove imageId`);
  for (const typed of TYPED_WITHOUT_FIELD) if (inputs[typed] !== undefined) fail(typed, `${VENDOR_LABEL} has no image properties besides description: remove ${typed} ${OTHER}`);
  // properties are refused by check through isReservedProperty (description and applicationNames have their own inputs)
  const source = inputs["source"];
  if (source === undefined) {
    fail("source", `${VENDOR_LABEL} creates an image from its address (imageAddress, required, L43-47): set source.url to the address`);
  } else if (known(source) && source !== null && typeof source === "object") {
    const s = source as Record<string, unknown>;
    if (s["file"] !== undefined) fail("source.file", `${VENDOR_LABEL} takes no uploads: the image is referenced by its address (imageAddress): set source.url instead`);
    for (const key of ["headers", "username", "password", "sha256", "sha512"]) {
      if (s[key] !== undefined) fail(`source.${key}`, `${VENDOR_LABEL} is given the address only (imageAddress) and returns no digest: the provider never reads the data, so source.${key} cannot apply: remove it`);
    }
    const method = inputs["importMethod"];
    if (s["url"] !== undefined && method === "upload") {
      fail("importMethod", `on ${VENDOR_LABEL} source.url is the image's address, which the platform reads itself: set importMethod "web-download" (or "auto")`);
    }
  }
  return out;
}

/** What the vendor image API of seed 004 can hold and do. */
export const VENDOR_CAPABILITIES: DialectCapabilities = {
  label: VENDOR_LABEL,
  tags: false,
  hidden: false,
  // create takes applicationNames (L49-53); read and list answer them (L222, L370)
  applicationNames: true,
  // isPublic is only read (L254-257): every image this provider makes is private
  visibilities: ["private"],
  // the platform reads imageAddress itself: the provider's web-download path
  webDownload: true,
  // never reached (no bytes pass through the provider); the API records no digest
  verifiedBy: "multihash",
  isReservedProperty: (key) => key !== DESCRIPTION_KEY,
  // keys are refused above; names and values have no documented limits
  explainReservedProperty: (key) =>
    key === APPLICATIONS_KEY
      ? `application names have their own input on ${VENDOR_LABEL}: move them to applicationNames (a list, e.g. ["viewer", "mysql"])`
      : `${VENDOR_LABEL} holds no custom properties: remove "${key}" ${OTHER}`,
  inputProblems,
};
