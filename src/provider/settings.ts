import type { Config } from "@pulumi/pulumi/dynamic";
import { AuthError } from "../errors";
import { registerSecret } from "../redact";

/** Where and how to reach Glance, resolved at run time (never captured into the serialized provider). */
export interface Settings {
  /** A fixed image endpoint (skips the service catalog). */
  readonly endpoint?: string;
  /** An existing token to send as `X-Auth-Token`. */
  readonly token?: string;
  readonly region?: string;
  readonly cacert?: string;
  readonly insecure?: boolean;
}

/** Stack config keys under the `glance:` namespace, with the `OS_*` variables that back them. */
const KEYS = {
  endpoint: ["endpoint", ["OS_IMAGE_URL", "OS_ENDPOINT"]],
  token: ["token", ["OS_TOKEN", "OS_AUTH_TOKEN"]],
  region: ["region", ["OS_REGION_NAME"]],
  cacert: ["cacert", ["OS_CACERT"]],
  insecure: ["insecure", ["OS_INSECURE"]],
} as const;

let stackConfig: Config | undefined;

/** Called from the provider's `configure`: remembers the stack's config for this process. */
export function useStackConfig(config: Config): void {
  stackConfig = config;
}

/**
 * Resolves the settings from stack config (`glance:*`) first, then the `OS_*` environment, at the
 * moment of the call. Secrets found are registered for redaction.
 */
export function resolveSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const read = (key: keyof typeof KEYS): string | undefined => {
    const [configKey, envKeys] = KEYS[key];
    const fromConfig = stackConfig?.get(`glance:${configKey}`);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    for (const name of envKeys) {
      const value = env[name];
      if (value !== undefined && value !== "") return value;
    }
    return undefined;
  };
  const settings: { -readonly [K in keyof Settings]: Settings[K] } = {};
  const endpoint = read("endpoint");
  const token = read("token");
  const region = read("region");
  const cacert = read("cacert");
  const insecure = read("insecure");
  if (endpoint !== undefined) settings.endpoint = endpoint;
  if (token !== undefined) settings.token = token;
  if (region !== undefined) settings.region = region;
  if (cacert !== undefined) settings.cacert = cacert;
  if (insecure !== undefined) settings.insecure = /^(1|true|yes)$/i.test(insecure);
  registerSecret(settings.token);
  if (settings.endpoint === undefined) {
    throw new AuthError(
      "no Glance endpoint configured: set `pulumi config set glance:endpoint https://glance.example:9292` or OS_IMAGE_URL (and glance:token / OS_TOKEN for a cloud with Keystone)",
    );
  }
  return settings;
}
