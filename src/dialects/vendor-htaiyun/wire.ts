/**
 * The vendor API's wire records (seed 004), as its examples show them. Every field is optional here: the
 * examples disagree with each other and with the field tables (see the contract's assumptions), and the
 * mapping reads each one defensively.
 */

/** The envelope of every answer (L73-89, L488-493). */
export interface VendorEnvelope<T> {
  readonly status?: unknown;
  readonly message?: unknown;
  readonly result?: T;
  readonly links?: unknown;
}

/** An image as create/update (L77-86) or read/list (L214-224) answer it. */
export interface VendorImage {
  readonly unique?: unknown;
  readonly status?: unknown;
  readonly created?: unknown;
  readonly updated?: unknown;
  readonly name?: unknown;
  readonly displayName?: unknown;
  readonly minLimit?: unknown;
  readonly size?: unknown;
  readonly minRam?: unknown;
  readonly minDisk?: unknown;
  readonly description?: unknown;
  /** Read and list (L222, L370). */
  readonly applicationNames?: unknown;
  /** Create and update, as numbers (L84, L167). */
  readonly imageApplications?: unknown;
  readonly containerFormat?: unknown;
  readonly diskFormat?: unknown;
  /** In the field tables (L254-262), in no example. */
  readonly isPublic?: unknown;
  readonly isProtected?: unknown;
}

/** The list result (L360-373). */
export interface VendorPage {
  readonly total?: unknown;
  readonly hasPrevious?: unknown;
  readonly hasNext?: unknown;
  readonly entities?: unknown;
}

/** The three access headers of every operation (L9-11). */
export const ACCESS_HEADERS = { accessToken: "HT-ACCESS-TOKEN", sessionToken: "IMR-SESSION-TOKEN", sessionSecret: "IMR-SESSION-SECRET" } as const;

/** The property key this API can hold (its own `description`), and the wire name of the image's application names (its own input). */
export const DESCRIPTION_KEY = "description";
export const APPLICATIONS_KEY = "applicationNames";
