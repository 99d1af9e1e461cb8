import { readFileSync } from "node:fs";
import { GlanceClient } from "../glance/client";
import type { TokenSource } from "../http/transport";
import { resolveSettings, type Settings } from "./settings";

/** A Glance client for one provider call, and the endpoint it talks to. Close it when done. */
export interface GlanceSession {
  readonly client: GlanceClient;
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Builds the client for one provider call; credentials are read now, never at module load. */
export function openSession(region?: string): GlanceSession {
  const settings: Settings = resolveSettings();
  const token = settings.token;
  const tokens: TokenSource | undefined =
    token === undefined
      ? undefined
      : {
          token: async () => token,
          invalidate: () => undefined,
        };
  const client = new GlanceClient({
    endpoint: settings.endpoint ?? "",
    userAgent: "pulumi-glance",
    ...(tokens === undefined ? {} : { tokens }),
    ...(settings.cacert === undefined ? {} : { ca: readFileSync(settings.cacert) }),
    ...(settings.insecure === undefined ? {} : { insecure: settings.insecure }),
  });
  void region;
  return { client, endpoint: client.endpoint, close: () => client.close() };
}
