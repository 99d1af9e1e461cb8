import type { GlanceClient } from "../glance/client";
import type { AllowedFormats } from "./check";

const cache = new Map<string, Promise<AllowedFormats>>();

/** The disk and container formats the deployment's `/v2/schemas/image` allows, read once per endpoint and process. */
export function allowedFormats(client: GlanceClient): Promise<AllowedFormats> {
  let pending = cache.get(client.endpoint);
  if (pending === undefined) {
    pending = client.discovery.imageSchema().then((schema) => ({
      diskFormats: enumOf(schema.properties["disk_format"]?.enum),
      containerFormats: enumOf(schema.properties["container_format"]?.enum),
    }));
    pending.catch(() => cache.delete(client.endpoint));
    cache.set(client.endpoint, pending);
  }
  return pending;
}

function enumOf(values: readonly (string | null)[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === "string");
}
