import { InputError, type HttpError } from "../../errors";
import { propertyField } from "../image-record";
import { fieldOfKey } from "./mapping";

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
 * (a record field, `imageId`, or `properties["key"]`: the provider names a typed property's own input) and the fix: a policy refusing the visibility (403), and values Glance's schema or limits reject
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
    if (key !== undefined) return new InputError(propertyField(key), `Glance refused the key: ${said}${rid}: use a key of at most ${longKey[1]} characters`);
  }
  const key =
    /schema\['properties'\]\['([^']+)'\]/.exec(error.serverMessage ?? "")?.[1] ??
    /^'([^']+)' value out of range/.exec(said)?.[1] ??
    /^Invalid value '[^']*' for parameter '([^']+)'/.exec(said)?.[1];
  if (key === undefined) return undefined;
  return new InputError(fieldOfKey(key), `Glance refused the value: ${said}${rid}: change it to one Glance accepts`);
}
