/**
 * pulumi-glance: OpenStack Glance images as Pulumi resources.
 * @packageDocumentation
 */
export { Image } from "./image";
export type { ImageArgs, ImageSourceArgs } from "./image-args";
export { ImageProvider } from "./provider/provider";
export type { SourceFingerprint } from "./provider/inputs";
export { GlanceClient, type GlanceClientOptions } from "./glance/client";
export { planImagePatch, type PatchOperation, type DesiredImage } from "./glance/patch";
export { waitForImage, type WaitOptions } from "./glance/wait";
export type * from "./glance/types";
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
  ProtectedImageError,
  isGlanceError,
  isHttpStatus,
} from "./errors";
