import { GlanceError } from "./base";

/** Keystone refused the credentials or the settings do not describe a usable identity. */
export class AuthError extends GlanceError {
  override name = "AuthError";
}
