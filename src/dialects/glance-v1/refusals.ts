import { InputError, isHttpStatus } from "../../errors";
import type { ImageFields } from "../image-record";
import { V1_LABEL } from "./mapping";

/**
 * Glance v1's refusals that are an input's fault, as an `InputError` naming the input (messages of
 * glance 15.0.2, `glance/api/v1/images.py`); anything else is returned as it is.
 */
export function inputFault(error: unknown, fields: ImageFields): unknown {
  if (!isHttpStatus(error, 400, 403, 413)) return error;
  const message = error.serverMessage ?? "";
  const said = `${V1_LABEL} refused it: ${message}`;
  if (/disk format/i.test(message)) return new InputError("diskFormat", said);
  if (/container format/i.test(message)) return new InputError("containerFormat", said);
  if (/min_ram/i.test(message)) return new InputError("minRamMb", said);
  if (/min_disk/i.test(message)) return new InputError("minDiskGb", said);
  if (/propert/i.test(message) || error.status === 413) return new InputError("properties", said);
  if (error.status === 403 && fields.visibility === "public") return new InputError("visibility", `${V1_LABEL} lets only admins make an image public (is_public): ${message}`);
  return error;
}
