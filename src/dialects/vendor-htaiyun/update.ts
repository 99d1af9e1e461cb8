import { InputError } from "../../errors";
import { propertyField, type ImageChange, type ImageRecord } from "../image-record";
import { VENDOR_LABEL } from "./mapping";
import { APPLICATIONS_KEY, DESCRIPTION_KEY } from "./wire";

/** The inputs of one update (L114-150) that bring `current` to `change`; `{}` when it already holds. */
export type UpdateParams = { name?: string; description?: string };

const REPLACE = "the API has no update input for it (L114-150): the provider replaces the image when it changes";

/**
 * Plans the update: only `name` and `description` can be changed (updateSemantics=partial: what is not sent
 * is kept). Anything else the change asks for that the image does not hold is an {@link InputError} naming
 * the input: nothing is dropped silently. Application names cannot be changed: the update takes
 * application *ids* (imageApplications, L145-149), and nothing in the document maps names to ids.
 */
export function planUpdate(current: ImageRecord, change: ImageChange): UpdateParams {
  const params: UpdateParams = {};
  if (change.name !== undefined && change.name !== current.name) params.name = change.name;
  const held = (key: string): string | undefined => (Object.hasOwn(current.properties, key) ? current.properties[key] : undefined);
  for (const [key, value] of Object.entries(change.properties ?? {})) {
    if (key === DESCRIPTION_KEY) {
      if ((held(key) ?? "") !== value) params.description = value;
    } else {
      throw new InputError(propertyField(key), `${VENDOR_LABEL} holds no custom properties${key === APPLICATIONS_KEY ? ": set the applicationNames input" : ""}`);
    }
  }
  for (const key of change.removeProperties ?? []) {
    if (held(key) === undefined) continue;
    if (key === DESCRIPTION_KEY) params.description = "";
  }
  const differs = (a: string | null | undefined, b: string | undefined): boolean => b !== undefined && (a ?? "").toLowerCase() !== b.toLowerCase();
  if (differs(current.diskFormat, change.diskFormat)) throw new InputError("diskFormat", REPLACE);
  if (differs(current.containerFormat, change.containerFormat)) throw new InputError("containerFormat", REPLACE);
  if (change.visibility !== undefined && change.visibility !== current.visibility) throw new InputError("visibility", `${VENDOR_LABEL} cannot set visibility (isPublic is only read, L254-257): the image is ${current.visibility}`);
  if (change.protected !== undefined && change.protected !== current.protected) throw new InputError("protected", `${VENDOR_LABEL} cannot set protection (isProtected is only read, L259-262)`);
  if (change.hidden === true) throw new InputError("hidden", `${VENDOR_LABEL} has no hidden images`);
  if (change.minDiskGb !== undefined && change.minDiskGb !== current.minDiskGb) throw new InputError("minDiskGb", `${VENDOR_LABEL} sets no minimum disk (minDisk is only read)`);
  if (change.minRamMb !== undefined && change.minRamMb !== current.minRamMb) throw new InputError("minRamMb", `${VENDOR_LABEL} sets no minimum RAM (minLimit's unit is undocumented, L133-137)`);
  if (change.tags !== undefined && change.tags.length > 0) throw new InputError("tags", `${VENDOR_LABEL} has no tags`);
  if (change.applicationNames !== undefined && !sameSet(change.applicationNames, current.applicationNames ?? [])) refuseApplications();
  return params;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const key = (l: readonly string[]): string => JSON.stringify([...new Set(l)].sort());
  return key(a) === key(b);
}

function refuseApplications(): never {
  throw new InputError(
    "applicationNames",
    `${VENDOR_LABEL} changes an image's applications by id only (imageApplications, L145-149), and nothing in its document maps names to ids: the provider replaces the image when applicationNames changes (or change the applications on the platform)`,
  );
}
