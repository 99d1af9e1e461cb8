import { InputError, isHttpStatus } from "../../errors";
import type { ImageFields } from "../image-record";
import { V1_LABEL, fieldOfKey } from "./mapping";

/**
 * The v1 key a 400 names (messages of glance 15.0.2, `glance/api/v1/images.py`): "Invalid value '-1' for
 * parameter 'min_ram': …", "Invalid disk format 'x' for image.", "Invalid container format 'x' …".
 */
function keyOfMessage(message: string): string | undefined {
  return /Invalid value '[^']*' for parameter '([^']+)'/.exec(message)?.[1] ?? /Invalid (disk|container) format/i.exec(message)?.[1]?.toLowerCase().concat("_format");
}

/**
 * Glance v1's refusals that are an input's fault, as an `InputError` naming the input (through the one
 * mapping's {@link fieldOfKey}); anything else is returned as it is.
 */
export function inputFault(error: unknown, fields: ImageFields): unknown {
  if (!isHttpStatus(error, 400, 403, 413)) return error;
  const message = error.serverMessage ?? "";
  const said = `${V1_LABEL} refused it: ${message}`;
  const key = error.status === 400 ? keyOfMessage(message) : undefined;
  if (key !== undefined) return new InputError(fieldOfKey(key), said);
  if (/propert/i.test(message) || error.status === 413) return new InputError("properties", said);
  if (error.status === 403 && fields.visibility === "public") return new InputError("visibility", `${V1_LABEL} lets only admins make an image public (is_public): ${message}`);
  return error;
}
