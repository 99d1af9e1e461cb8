/**
 * pulumi-glance: OpenStack Glance images as Pulumi resources.
 *
 * The public surface is the resources (Image; ImageMember and ImageMemberAccept for sharing), their argument and output types, the image lookups, and the errors it throws. Everything
 * else (the provider, the Glance client, the wire dialects) is internal and may change in any release.
 * `test/package/public-surface.test.ts` pins this list: changing it is a deliberate act.
 * @packageDocumentation
 */
export { Image } from "./image";
export type { ImageArgs, ImageSourceArgs, ImageGlanceSourceArgs, ImageAdoptFilterArgs } from "./image-args";
export type { SourceFingerprint } from "./provider/inputs";
export { getImage, getImageOutput, getImageIds, getImageIdsOutput } from "./lookups/get-image";
export type {
  GetImageArgs,
  GetImageIdsArgs,
  GetImageOutputArgs,
  GetImageIdsOutputArgs,
  GetImageResult,
  GetImageIdsResult,
  ImageTimeRangeArgs,
  ImageSortArgs,
  LookupOptions,
} from "./lookups/args";
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
  ImageNotFoundError,
  MultipleImagesFoundError,
  ImageSourceError,
  InputError,
  AuthError,
  isGlanceError,
  isHttpStatus,
  isNotFound,
  type HttpErrorDetails,
} from "./errors";
