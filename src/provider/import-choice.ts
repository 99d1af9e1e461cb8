import type { DialectCapabilities } from "../dialects/dialect";
import type { ImageInputs } from "./inputs";

/** How the data actually reaches the server (what `auto` resolves to). */
export type ResolvedImportMethod = "upload" | "web-download" | "glance-direct" | "glance-download";

/**
 * What `importMethod` means for this image on this server. `auto` picks, from the methods the server offers
 * (`/v2/info/import`) and the source: `web-download` for a URL when nothing needs the bytes to pass through
 * the provider (no headers, credentials or `source.sha256`); `glance-direct` when the data goes to more than
 * one store (one import writes them all, instead of an upload and a copy); else `upload`. Another region's
 * image (`source.glanceImage`) is always `glance-download` (`check` refuses the other methods with it).
 */
export function resolveImportMethod(inputs: ImageInputs, capabilities: DialectCapabilities, offered: readonly string[], storeCount: number): ResolvedImportMethod {
  const method = inputs.importMethod;
  if (method !== "auto") return method;
  const s = inputs.source;
  if (s === undefined) return "upload";
  if (s.glanceImage !== undefined) return "glance-download";
  // Only the provider's stream decompresses: a source.decompress format keeps the bytes here.
  const plainUrl = s.url !== undefined && s.headers === undefined && s.username === undefined && s.password === undefined && s.sha256 === undefined && (s.decompress ?? "none") === "none";
  if (plainUrl && capabilities.webDownload && offered.includes("web-download")) return "web-download";
  if (storeCount > 1 && capabilities.glanceDirect === true && offered.includes("glance-direct")) return "glance-direct";
  return "upload";
}

/** The preview's sentence for `auto`. */
export function describeChoice(name: string, method: ResolvedImportMethod, offered: readonly string[]): string {
  return `glance image "${name}": importMethod "auto" will use ${method} (the cloud offers ${offered.length === 0 ? "no import methods" : offered.join(", ")})`;
}
