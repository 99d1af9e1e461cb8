/**
 * The one error hierarchy of the package: every error it throws is a {@link GlanceError}, whose
 * construction redacts credentials from the message and the cause chain (see `base.ts`).
 * `import … from "../errors"` reaches all of it through this file.
 */
export { GlanceError, isGlanceError, describeCause } from "./base";
export { HttpError, BodyFormatError, NetworkError, isHttpStatus, isNotFound, type HttpErrorDetails } from "./http";
export { ImageStatusError, ImportFailedError, ChecksumMismatchError, CleanupError, ProtectedImageError } from "./image";
export { InputError, ImageSourceError, DataFormatError } from "./input";
export { TimeoutError, CancelledError, abortError } from "./timing";
export { AuthError, RegionNotInCatalogError } from "./auth";
export { ImageNotFoundError, MultipleImagesFoundError } from "./lookup";
