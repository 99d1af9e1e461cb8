import { readFileSync } from "node:fs";
import type { Dispatcher } from "undici";
import { AuthError, isGlanceError } from "../errors";
import { discoverApiVersion } from "../dialects/api-version";
import type { DialectCapabilities, ImageDialect } from "../dialects/dialect";
import { capabilitiesOf, createDialect } from "../dialects/registry";
import type { TokenSource } from "../http/transport";
import { authenticate } from "../keystone/authenticate";
import { selectEndpoint } from "../keystone/catalog";
import { lookupProject, type ProjectLookup } from "../keystone/project-lookup";
import { processTokenCache, tokenCacheKey } from "../keystone/token-cache";
import { TokenManager } from "../keystone/token-manager";
import { checkedEndpoint } from "./image-endpoint";
import { resolveSettings, type Settings, type SettingsSources } from "./settings";

/** The image API dialect for one provider call, and the endpoint it talks to. Close it when done. */
export interface GlanceSession {
  readonly dialect: ImageDialect;
  readonly endpoint: string;
  /**
   * The project the session acts as: the Keystone token's scope; `undefined` without Keystone (a fixed
   * token or none: the project is the server's business).
   */
  project(): Promise<{ readonly id: string; readonly name?: string } | undefined>;
  /** What Keystone says of a project id (`unknown` without Keystone, or when it will not tell these credentials). */
  lookupProject(projectId: string): Promise<ProjectLookup>;
  close(): Promise<void>;
}

/** Overrides for tests and embedders; a provider call uses none. */
export interface SessionOptions extends SettingsSources {
  /** Sends Keystone and Glance requests through this dispatcher (its own TLS settings apply then). */
  readonly dispatcher?: Dispatcher;
  /**
   * Talk to this image endpoint (the one an image lives at, from state) instead of the configured or
   * catalogued one; the configured credentials still apply (a Keystone token, a fixed token, or none).
   */
  readonly endpoint?: string;
}

const USER_AGENT = "pulumi-glance";

/**
 * Builds the dialect for one provider call (`glance:apiVersion`: v2, v1, or auto). Settings are read now, never at module load; a Keystone
 * token is reused from the process's cache while valid, and the image endpoint comes from its catalog
 * (service `image`, the configured interface, `region` or else the configured region) unless an
 * endpoint is fixed (by the settings, or by `options.endpoint`).
 */
export async function openSession(region?: string, options: SessionOptions = {}): Promise<GlanceSession> {
  const settings: Settings = resolveSettings(options);
  const ca = settings.cacert === undefined ? undefined : readCa(settings);
  const identity = clientIdentity(settings);
  const tls = { ...(ca === undefined ? {} : { ca }), ...(settings.insecure ? { insecure: true } : {}), ...identity };
  const dispatcher = options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher };

  let tokens: TokenSource | undefined;
  let manager: TokenManager | undefined;
  let lookup: (projectId: string) => Promise<ProjectLookup> = async () => "unknown";
  // Settings are checked where they are resolved; the endpoint an image lives at (from state) here.
  let endpoint = options.endpoint === undefined ? settings.endpoint : checkedEndpoint(options.endpoint, "the endpoint recorded in the image's state");
  // The vendor API authenticates with its own headers (settings.vendor): no Keystone token is sent to it.
  const auth = settings.vendor === undefined ? settings.auth : { kind: "none" as const };
  if (auth.kind === "fixed-token") {
    tokens = fixedToken(auth.token, settings);
  } else if (auth.kind === "keystone") {
    const connection = { ...tls, ...dispatcher, userAgent: USER_AGENT, origins: settings.origins };
    const key = tokenCacheKey(auth.credentials, connectionKey(settings, options.dispatcher));
    const tokenManager = new TokenManager(key, () => authenticate(auth.credentials, connection), processTokenCache);
    tokens = tokenManager;
    manager = tokenManager;
    lookup = async (projectId) => lookupProject(auth.credentials.authUrl, await tokenManager.token(), projectId, connection);
    if (endpoint === undefined) {
      const issued = await tokenManager.current();
      const wanted = region ?? settings.region;
      const catalogued = selectEndpoint(issued.catalog, { serviceType: "image", interface: settings.interface, ...(wanted === undefined ? {} : { region: wanted }) });
      endpoint = checkedEndpoint(catalogued, `the service catalog's image endpoint (interface ${settings.interface}${wanted === undefined ? "" : `, region ${wanted}`})`);
    }
  }
  if (endpoint === undefined) throw new AuthError(`no ${settings.vendor === undefined ? "Glance" : "htaiyun image API"} endpoint: set glance:endpoint or OS_IMAGE_URL${settings.vendor === undefined ? ", or configure Keystone credentials" : ""}`);

  const timeouts = { connectMs: settings.timeouts.connectMs, headersMs: settings.timeouts.idleMs, idleMs: settings.timeouts.idleMs };
  const retry = {
    budgetMs: settings.retryBudgetMs,
    budgetSetting: `glance:retryBudgetSeconds or PULUMI_GLANCE_RETRY_BUDGET${settings.origins.retryBudgetSeconds === undefined ? "" : ` (now ${settings.retryBudgetMs / 1000} s from ${settings.origins.retryBudgetSeconds})`}`,
    onWait: (line: string) => console.log(`Glance: ${line}`),
  };
  const transport = { userAgent: USER_AGENT, timeouts, retry, ...(tokens === undefined ? {} : { tokens }), ...tls, ...dispatcher };
  // `auto` asks the endpoint which APIs it serves (once per endpoint and process).
  const api = settings.apiVersion === "auto" ? await discoverApiVersion(endpoint, transport) : settings.apiVersion;
  const origin = settings.apiVersion === "auto" ? `the version document of ${endpoint} (glance:apiVersion auto)` : (settings.origins.apiVersion ?? undefined);
  const dialect = createDialect(api, { endpoint, ...transport, ...(settings.vendor === undefined ? {} : { vendor: settings.vendor }) }, origin);
  const project = async (): Promise<{ readonly id: string; readonly name?: string } | undefined> => (manager === undefined ? undefined : (await manager.current()).project);
  return { dialect, endpoint: dialect.endpoint, project, lookupProject: lookup, close: () => dialect.close() };
}

/**
 * Why an image of another region cannot be read with these settings, or `undefined` when it can: its
 * endpoint comes from Keystone's catalog, so a fixed image endpoint (which {@link openSession} uses for
 * every region) or credentials that are not Keystone's would read the wrong Glance, or none.
 */
export function catalogRefusal(options: SettingsSources = {}): string | undefined {
  const settings = resolveSettings(options);
  const how = "another region's image is found through Keystone's service catalog";
  if (settings.vendor !== undefined) return `${how}, and the htaiyun image API has none`;
  if (settings.endpoint !== undefined) {
    return `${how}, and the image endpoint is fixed (${settings.endpoint}, from ${settings.origins.endpoint ?? "glance:endpoint"}), which is this region's Glance: unset glance:endpoint/OS_IMAGE_URL so the catalog names each region's endpoint`;
  }
  if (settings.auth.kind !== "keystone") return `${how}, and no Keystone credentials are configured: configure them (glance:authUrl/OS_AUTH_URL and a password or application credential)`;
  return undefined;
}

/**
 * What the configured API can hold, known without asking a server (for `check` when no session can be
 * opened yet); `undefined` for `auto`, for an API this build does not speak, or settings that do not resolve.
 */
export function configuredCapabilities(options: SettingsSources = {}): DialectCapabilities | undefined {
  try {
    const { apiVersion } = resolveSettings(options);
    return apiVersion === "auto" ? undefined : capabilitiesOf(apiVersion);
  } catch (error) {
    // The same settings fail again, with the message, wherever a session is opened.
    if (isGlanceError(error)) return undefined;
    throw error;
  }
}

/** An existing token sent to a fixed endpoint: once Glance refuses it, there is nothing to renew it with. */
function fixedToken(token: string, settings: Settings): TokenSource {
  let rejected = false;
  return {
    token: async () => {
      if (rejected) {
        throw new AuthError(
          `Glance refused the token${settings.origins.token === undefined ? "" : ` from ${settings.origins.token}`} (expired or revoked?): get a new one, or configure a password or application credential instead`,
        );
      }
      return token;
    },
    invalidate: (value) => {
      if (value === token) rejected = true;
    },
  };
}

function readCa(settings: Settings): Buffer {
  const path = settings.cacert ?? "";
  try {
    return readFileSync(path);
  } catch (error) {
    throw new AuthError(`cannot read the CA bundle ${path}${settings.origins.cacert === undefined ? "" : ` (from ${settings.origins.cacert})`}: ${(error as { code?: string }).code ?? String(error)}`);
  }
}

/**
 * The client certificate and key (PEM files; the key may sit in the certificate's file, as openstacksdk
 * allows). Unreadable files fail naming the path and the setting; the key's content is never shown.
 */
function clientIdentity(settings: Settings): { cert?: Buffer; key?: Buffer } {
  if (settings.cert === undefined) return {};
  const read = (path: string, what: string, origin: string | undefined): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new AuthError(`cannot read the client ${what} ${path}${origin === undefined ? "" : ` (from ${origin})`}: ${(error as { code?: string }).code ?? String(error)}`);
    }
  };
  const cert = read(settings.cert, "certificate", settings.origins.cert);
  const key = settings.key === undefined ? cert : read(settings.key, "key", settings.origins.key);
  return { cert, key };
}

const dispatcherIds = new WeakMap<Dispatcher, number>();

/** What besides the credentials decides how Keystone is reached, as part of the token cache key. */
function connectionKey(settings: Settings, dispatcher: Dispatcher | undefined): string {
  let id = 0;
  if (dispatcher !== undefined) {
    id = dispatcherIds.get(dispatcher) ?? 0;
    if (id === 0) {
      lastDispatcherId += 1;
      id = lastDispatcherId;
      dispatcherIds.set(dispatcher, id);
    }
  }
  return JSON.stringify([settings.cacert ?? null, settings.insecure, settings.cert ?? null, settings.key ?? null, id]);
}

let lastDispatcherId = 0;
