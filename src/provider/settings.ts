import type { Config } from "@pulumi/pulumi/dynamic";
import { parseApiVersion, type ApiVersionSetting } from "../dialects/api-version";
import { DEFAULT_API_VERSION } from "../dialects/registry";
import { vendorSettings, type VendorSettings } from "../dialects/vendor-htaiyun/settings";
import { AuthError } from "../errors";
import { planAuth, type AuthPlan } from "../keystone/auth-plan";
import { parseInterface, type EndpointInterface } from "../keystone/catalog";
import { loadCloud } from "../keystone/clouds-yaml";
import { FIELD_NAMES, FIELD_SOURCES, SECRET_FIELDS, type FieldName, type Fields, type Origins } from "../keystone/fields";
import { registerSecret } from "../redact";
import { checkedEndpoint } from "./image-endpoint";

/**
 * Where and how to reach Glance, resolved at run time (never captured into the serialized provider).
 * Precedence, as in the OpenStack clients: stack config `glance:*` > `OS_*` environment > the
 * clouds.yaml entry chosen by `glance:cloud`/`OS_CLOUD` (merged with secure.yaml). A resource's own
 * `cloud` input replaces all of these for its identity and location (see {@link SettingsSources.cloud}).
 */
export interface Settings {
  readonly auth: AuthPlan;
  /** A fixed image endpoint (skips the service catalog). */
  readonly endpoint?: string;
  readonly region?: string;
  readonly interface: EndpointInterface;
  /** Path of a PEM bundle of trusted CAs, for Keystone and Glance. */
  readonly cacert?: string;
  readonly insecure: boolean;
  /** Paths of a PEM client certificate and its private key (mutual TLS), for Keystone and Glance. */
  readonly cert?: string;
  readonly key?: string;
  /** Connect and idle (no bytes either way) timeouts of every request, in milliseconds. */
  readonly timeouts: { readonly connectMs: number; readonly idleMs: number };
  /** How long an idempotent request keeps retrying while Glance is unavailable (refused, 502/503/504), in milliseconds. Default 60 000. */
  readonly retryBudgetMs: number;
  /** The image API to speak (`glance:apiVersion`, `OS_IMAGE_API_VERSION`, clouds.yaml `image_api_version`); default v2. */
  readonly apiVersion: ApiVersionSetting;
  /** The vendor API's header values and body encoding, when `apiVersion` is `vendor-htaiyun`. */
  readonly vendor?: VendorSettings;
  /** Where each setting came from, for error messages. */
  readonly origins: Origins;
}

/** What settings are read from; every member defaults to the live process's. */
export interface SettingsSources {
  /** Pulumi stack config; default: the one the provider's `configure` handed over. */
  readonly config?: Pick<Config, "get">;
  readonly env?: NodeJS.ProcessEnv;
  /** Working directory, for `./clouds.yaml`. */
  readonly cwd?: string;
  /** Home directory, for `~/.config/openstack` when XDG_CONFIG_HOME is unset. */
  readonly homeDir?: string;
  /**
   * A resource's own `cloud` input: this clouds.yaml entry alone says who authenticates and where (auth,
   * region, interface, endpoint, TLS, API version); the stack's `glance:cloud`/`OS_CLOUD` entry, `glance:*`
   * and `OS_*` values of those fields are not used, so the stack's identity never leaks into another
   * project's. Only the provider's tuning ({@link TUNING_FIELDS}) keeps config > env > entry.
   */
  readonly cloud?: string;
}

/** Settings about how the provider works, not who it is or where: they apply whatever cloud a resource names. */
export const TUNING_FIELDS: readonly FieldName[] = ["connectTimeoutSeconds", "idleTimeoutSeconds", "retryBudgetSeconds"];

// The dynamic provider host calls `configure` once with the stack's config and then each resource
// method; the config is kept for this process only (it is not part of the serialized provider).
let stackConfig: Pick<Config, "get"> | undefined;

/** Called from the provider's `configure`: remembers the stack's config for this process. */
export function useStackConfig(config: Pick<Config, "get">): void {
  stackConfig = config;
  for (const field of SECRET_FIELDS) registerSecret(config.get(`glance:${field}`));
}

/** The merged settings strings and where each came from, before interpretation. */
export function readFields(sources: SettingsSources = {}): { fields: Fields; origins: Origins; cloud?: string } {
  const config = sources.config ?? stackConfig;
  const env = sources.env ?? process.env;
  const fromConfig = (key: string): string | undefined => nonEmpty(config?.get(`glance:${key}`));
  const fields: Fields = {};
  const origins: Origins = {};

  const own = nonEmpty(sources.cloud);
  const cloud = own ?? fromConfig("cloud") ?? nonEmpty(env["OS_CLOUD"]);
  if (cloud !== undefined) {
    const where = { env, cwd: sources.cwd ?? process.cwd(), ...(sources.homeDir === undefined ? {} : { homeDir: sources.homeDir }) };
    const loaded = loadCloud(cloud, where, own === undefined ? "glance:cloud or OS_CLOUD" : "the resource's cloud input");
    Object.assign(fields, loaded.fields);
    Object.assign(origins, loaded.origins);
  }
  for (const field of own === undefined ? FIELD_NAMES : TUNING_FIELDS) {
    const name = FIELD_SOURCES[field].env.find((n) => nonEmpty(env[n]) !== undefined);
    if (name !== undefined) {
      fields[field] = env[name] as string;
      origins[field] = name;
    }
    const value = fromConfig(field);
    if (value !== undefined) {
      fields[field] = value;
      origins[field] = `stack config glance:${field}`;
    }
  }
  for (const field of SECRET_FIELDS) registerSecret(fields[field]);
  return { fields, origins, ...(cloud === undefined ? {} : { cloud }) };
}

/**
 * Resolves the settings at the moment of the call. Secrets found are registered for redaction; an
 * incomplete or contradictory setup fails here with an {@link AuthError} naming what to set.
 */
export function resolveSettings(sources: SettingsSources = {}): Settings {
  const { fields, origins } = readFields(sources);
  const auth = planAuth(fields, origins);
  const settings: { -readonly [K in keyof Settings]: Settings[K] } = {
    auth,
    interface: fields.interface === undefined ? "public" : parseInterface(fields.interface, origins.interface),
    insecure: fields.insecure === undefined ? false : parseBoolean(fields.insecure, origins.insecure ?? "insecure"),
    timeouts: {
      connectMs: parseSeconds(fields.connectTimeoutSeconds, origins.connectTimeoutSeconds ?? "connectTimeoutSeconds", 30) * 1000,
      idleMs: parseSeconds(fields.idleTimeoutSeconds, origins.idleTimeoutSeconds ?? "idleTimeoutSeconds", 300) * 1000,
    },
    retryBudgetMs: parseSeconds(fields.retryBudgetSeconds, origins.retryBudgetSeconds ?? "retryBudgetSeconds", 60, { zero: true }) * 1000,
    apiVersion: fields.apiVersion === undefined ? DEFAULT_API_VERSION : parseApiVersion(fields.apiVersion, origins.apiVersion ?? "apiVersion"),
    origins,
  };
  if (fields.endpoint !== undefined) settings.endpoint = checkedEndpoint(fields.endpoint, origins.endpoint ?? "glance:endpoint");
  if (fields.region !== undefined) settings.region = fields.region;
  if (fields.cacert !== undefined) settings.cacert = fields.cacert;
  if (fields.cert !== undefined) settings.cert = fields.cert;
  if (fields.key !== undefined) settings.key = fields.key;
  if (fields.key !== undefined && fields.cert === undefined) {
    throw new AuthError(`a client key is set (${origins.key ?? "key"}) without its certificate: set glance:cert, OS_CERT or clouds.yaml cert too, or remove the key`);
  }
  if (settings.apiVersion === "vendor-htaiyun") settings.vendor = vendorSettings(fields, origins);
  return settings;
}

function parseBoolean(value: string, origin: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value.trim())) return true;
  if (/^(0|false|no|off)$/i.test(value.trim())) return false;
  throw new AuthError(`${origin} "${value}" is not a boolean: use true or false`);
}

function parseSeconds(value: string | undefined, origin: string, fallback: number, allow: { zero?: boolean } = {}): number {
  if (value === undefined) return fallback;
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0 || (seconds === 0 && allow.zero !== true)) throw new AuthError(`${origin} "${value}" is not a number of seconds: use a positive number such as ${fallback}`);
  return seconds;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
