import { GlanceError } from "./base";

/** Keystone refused the credentials or the settings do not describe a usable identity. */
export class AuthError extends GlanceError {
  override name = "AuthError";
}

/**
 * The service catalog has no endpoint of the service in the region asked for: `regions` are those it does
 * have (for that service), so a caller can tell which input named the region.
 */
export class RegionNotInCatalogError extends AuthError {
  override name = "RegionNotInCatalogError";
  constructor(
    message: string,
    readonly region: string,
    readonly regions: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
