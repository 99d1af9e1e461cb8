/**
 * pulumi-glance: OpenStack Glance images as Pulumi resources.
 *
 * The public surface is the resources (Image; ImageMember and ImageMemberAccept for sharing), their argument and output types, and the errors it throws. Everything
 * else (the provider, the Glance client, the wire dialects) is internal and may change in any release.
 * `test/package/public-surface.test.ts` pins this list: changing it is a deliberate act.
 * @packageDocumentation
 */
export { Image } from "./image";
export type { ImageArgs, ImageSourceArgs } from "./image-args";
export type { SourceFingerprint } from "./provider/inputs";
export { ImageMember } from "./image-member";
export { ImageMemberAccept } from "./image-member-accept";
export type { ImageMemberArgs, ImageMemberAcceptArgs } from "./image-member-args";
export {
  GlanceError,
  HttpError,
  BodyFormatError,
  NetworkError,
  CancelledError,
  TimeoutError,
  ImageStatusError,
  ImportFailedError,
  ChecksumMismatchError,
  CleanupError,
  ProtectedImageError,
  ImageSourceError,
  InputError,
  AuthError,
  isGlanceError,
  isHttpStatus,
  isNotFound,
  type HttpErrorDetails,
} from "./errors";
