/**
 * pulumi-glance: OpenStack Glance images as Pulumi resources.
 * @packageDocumentation
 */
export { Image } from "./image";
export type { ImageArgs, ImageSourceArgs } from "./image-args";
export { ImageProvider } from "./provider/provider";
export type { SourceFingerprint } from "./provider/inputs";
export { GlanceClient, type GlanceClientOptions } from "./dialects/glance-v2/client";
export { planImagePatch, type PatchOperation, type DesiredImage } from "./dialects/glance-v2/patch";
export { waitForImage, type WaitOptions } from "./dialects/glance-v2/wait";
export type * from "./dialects/glance-v2/types";
export {
  GlanceError,
  HttpError,
  BodyFormatError,
  CancelledError,
  NetworkError,
  ImageStatusError,
  ImportFailedError,
  TimeoutError,
  ChecksumMismatchError,
  ImageSourceError,
  InputError,
  AuthError,
  CleanupError,
  isGlanceError,
  isHttpStatus,
} from "./errors";
export { ProtectedImageError } from "./provider/delete";
