import { AuthError } from "../../errors";
import { whereToSet, type FieldName, type Fields, type Origins } from "../../keystone/fields";

/** How POST inputs are encoded (assumption `bodyEncoding` of the contract: the document does not say). */
export type BodyEncoding = "form" | "json";

/**
 * What the vendor dialect needs from the settings: the values of its three access headers (secrets: read
 * at run time, registered for redaction, never in state) and the body encoding.
 */
export interface VendorSettings {
  readonly accessToken: string;
  readonly sessionToken: string;
  readonly sessionSecret: string;
  readonly bodyEncoding: BodyEncoding;
}

const HEADER_FIELDS: readonly [FieldName, string][] = [
  ["vendorAccessToken", "HT-ACCESS-TOKEN"],
  ["vendorSessionToken", "IMR-SESSION-TOKEN"],
  ["vendorSessionSecret", "IMR-SESSION-SECRET"],
];

/** The vendor settings from the merged fields; a missing header value or an unknown encoding is an {@link AuthError} naming the setting. */
export function vendorSettings(fields: Fields, origins: Origins): VendorSettings {
  const missing = HEADER_FIELDS.filter(([field]) => fields[field] === undefined);
  if (missing.length > 0) {
    throw new AuthError(
      `the htaiyun image API (glance:apiVersion vendor-htaiyun) sends ${missing.map(([, header]) => header).join(", ")} on every call: set ${missing.map(([field]) => whereToSet(field)).join("; ")}`,
    );
  }
  const encoding = (fields.vendorBodyEncoding ?? "form").trim().toLowerCase();
  if (encoding !== "form" && encoding !== "json") {
    throw new AuthError(`${origins.vendorBodyEncoding ?? "vendorBodyEncoding"} "${fields.vendorBodyEncoding ?? ""}" is not a body encoding: use form or json`);
  }
  return {
    accessToken: fields.vendorAccessToken ?? "",
    sessionToken: fields.vendorSessionToken ?? "",
    sessionSecret: fields.vendorSessionSecret ?? "",
    bodyEncoding: encoding,
  };
}
