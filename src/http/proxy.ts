import { createHash } from "node:crypto";
import * as undici from "undici";
import { registerSecret } from "../redact";

/** The proxy settings of the environment, as curl and OpenStack's clients read them. */
export interface ProxyEnv {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly noProxy?: string;
}

/**
 * `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY`, each in lower or upper case (lower case wins, as in curl and
 * undici). Empty values count as unset. Credentials in a proxy URL (`http://user:pass@proxy:3128`) are
 * registered as secrets, so no log line or error shows them.
 */
export function proxyEnv(env: NodeJS.ProcessEnv = process.env): ProxyEnv {
  const read = (name: string): string | undefined => {
    const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const httpProxy = read("http_proxy");
  const httpsProxy = read("https_proxy");
  const noProxy = read("no_proxy");
  for (const proxy of [httpProxy, httpsProxy]) registerProxySecrets(proxy);
  return { ...(httpProxy === undefined ? {} : { httpProxy }), ...(httpsProxy === undefined ? {} : { httpsProxy }), ...(noProxy === undefined ? {} : { noProxy }) };
}

/** Whether any proxy is configured. */
export function usesProxy(env: ProxyEnv): boolean {
  return env.httpProxy !== undefined || env.httpsProxy !== undefined;
}

/** A digest of the proxy settings, to key shared agents without keeping credentials readable. */
export function proxyKey(env: ProxyEnv): string | null {
  return usesProxy(env) ? createHash("sha256").update(JSON.stringify([env.httpProxy, env.httpsProxy, env.noProxy])).digest("hex") : null;
}

/**
 * The dispatcher for connections made with `connect` (timeouts, CA, verification) and `options`: a plain
 * agent, or, when the environment names a proxy, one that sends each request through the proxy its
 * scheme calls for (HTTP requests forwarded, HTTPS tunnelled with CONNECT), unless NO_PROXY lists the host.
 * The target's TLS settings apply to the tunnelled connection as they would to a direct one.
 */
export function connectionDispatcher(connect: undici.buildConnector.BuildOptions, options: undici.Agent.Options, env: ProxyEnv = proxyEnv()): undici.Dispatcher {
  if (!usesProxy(env)) return new undici.Agent({ ...options, connect });
  return new undici.EnvHttpProxyAgent({
    ...options,
    connect,
    requestTls: connect as undici.buildConnector.BuildOptions,
    // Explicit, so a process.env changed later by a library does not change where requests go.
    httpProxy: env.httpProxy ?? "",
    httpsProxy: env.httpsProxy ?? env.httpProxy ?? "",
    noProxy: env.noProxy ?? "",
  } as undici.EnvHttpProxyAgent.Options);
}

function registerProxySecrets(proxy: string | undefined): void {
  if (proxy === undefined) return;
  try {
    const url = new URL(proxy);
    registerSecret(url.password, safeDecode(url.password));
  } catch {
    // Not a URL: undici refuses it when the agent is built; nothing readable to register.
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
