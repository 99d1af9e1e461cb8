import { InputError, type HttpError } from "../errors";
import { TYPED_PROPERTIES } from "./glance-keys";

/** Glance's attribute names as the resource's inputs name them; anything else is a custom property. */
const INPUT_OF_KEY: Readonly<Record<string, string>> = {
  name: "name",
  disk_format: "diskFormat",
  container_format: "containerFormat",
  visibility: "visibility",
  os_hidden: "hidden",
  protected: "protected",
  min_disk: "minDiskGb",
  min_ram: "minRamMb",
  tags: "tags",
  id: "imageId",
  ...Object.fromEntries(Object.entries(TYPED_PROPERTIES).map(([input, key]) => [key, input])),
};

/** What was asked of Glance, as far as explaining a refusal needs it. */
export interface RefusedChange {
  /** `create` or `update`: said in the message. */
  readonly action: "create" | "update";
  /** The Glance keys the request set (a create's body keys, an update's patch paths). */
  readonly keys: readonly string[];
  /** The visibility the request asked for, if it set one. */
  readonly visibility?: string | undefined;
}

/**
 * Glance's refusals of a create or an update that are the inputs' fault, reworded to name the input
 * and the fix: a policy refusing the visibility (403), and values Glance's schema or limits reject
 * (400). Others (and any this does not recognise) are `undefined`: the caller keeps the HttpError.
 */
export function explainRefusal(error: HttpError, change: RefusedChange): InputError | undefined {
  const said = (error.serverMessage ?? "").replace(/\s*Failed validating[\s\S]*$/, "");
  const rid = error.requestId === undefined ? "" : ` (request ${error.requestId})`;
  if (error.status === 403 && /publicize_image|communitize_image/.test(said)) {
    const wanted = change.visibility === undefined ? "" : `${change.visibility} `;
    return new InputError(
      "visibility",
      `Glance's policy does not let this user ${change.action} ${wanted}images ("${said}"${rid}): use visibility "private" or "shared" (and add members), or ask a cloud admin to publish it`,
    );
  }
  if (error.status !== 400) return undefined;
  const longKey = /^Custom property should not be greater than (\d+) characters/.exec(said);
  if (longKey !== null) {
    const key = change.keys.find((k) => k.length > Number(longKey[1]));
    if (key !== undefined) return new InputError(`properties["${key}"]`, `Glance refused the key: ${said}${rid}: use a key of at most ${longKey[1]} characters`);
  }
  const key =
    /schema\['properties'\]\['([^']+)'\]/.exec(error.serverMessage ?? "")?.[1] ??
    /^'([^']+)' value out of range/.exec(said)?.[1] ??
    /^Invalid value '[^']*' for parameter '([^']+)'/.exec(said)?.[1];
  if (key === undefined) return undefined;
  return new InputError((Object.hasOwn(INPUT_OF_KEY, key) ? INPUT_OF_KEY[key] : undefined) ?? `properties["${key}"]`, `Glance refused the value: ${said}${rid}: change it to one Glance accepts`);
}
