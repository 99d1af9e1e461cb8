import { createHash } from "node:crypto";
import type * as undici from "undici";
import { connectionDispatcher, proxyEnv, proxyKey, type ProxyEnv } from "./proxy";

/** How connections are made and how long they may stay silent, in milliseconds. */
export interface ConnectionSettings {
  readonly connectMs: number;
  readonly headersMs: number;
  readonly idleMs: number;
  /** PEM bundle of trusted CAs. */
  readonly ca?: string | Buffer;
  readonly insecure?: boolean;
  /** PEM client certificate and its private key, for servers that require one (mutual TLS). */
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

/**
 * Idle keep-alive connections are closed after this long, unless the server's `Keep-Alive: timeout`
 * says less (undici honours it). Shorter than the idle timeouts of the servers and load balancers in
 * front of Glance (Node 5 s, haproxy and nginx 10 s or more, eventlet 900 s), so a request never goes
 * out on a connection the server is closing; long enough to reuse connections within a Pulumi update.
 */
const KEEP_ALIVE_MS = 4_000;

/**
 * Connections per server for API calls (JSON requests). More concurrent calls wait for a free one, so a
 * stack refreshed with unbounded `--parallel` reuses a few connections instead of opening one per
 * resource. Image data moves on connections of its own, without that limit, so a small call never
 * queues behind an upload of many GiB.
 */
export const API_CONNECTIONS = 16;

/** What a connection carries: API calls, or image data (uploads and downloads). */
export type TrafficKind = "api" | "data";

const agents = new Map<string, undici.Dispatcher>();

/**
 * The keep-alive agent shared by every transport of this process with the same connection settings.
 *
 * The Pulumi engine calls one provider process for every resource of an update, each call building its
 * own client: with an agent per client, every call opened a new connection (bench/RESULTS.md,
 * measurement 5: 1 connection per refreshed image). Agents are created on first use, at run time, and
 * live in this module, not in any object Pulumi serializes. Idle sockets do not keep the process alive
 * (undici unrefs them), so there is nothing to close.
 */
export function sharedAgent(settings: ConnectionSettings, kind: TrafficKind = "api"): undici.Dispatcher {
  // HTTPS_PROXY/HTTP_PROXY/NO_PROXY are read for each client: another value is another agent.
  const proxies = proxyEnv();
  const key = `${kind} ${agentKey(settings, proxies)}`;
  let agent = agents.get(key);
  if (agent === undefined || isShut(agent)) {
    const connect: undici.buildConnector.BuildOptions = { timeout: settings.connectMs };
    if (settings.ca !== undefined) connect.ca = settings.ca;
    if (settings.insecure === true) connect.rejectUnauthorized = false;
    if (settings.cert !== undefined) connect.cert = settings.cert;
    if (settings.key !== undefined) connect.key = settings.key;
    agent = connectionDispatcher(connect, {
      headersTimeout: settings.headersMs,
      bodyTimeout: settings.idleMs,
      keepAliveTimeout: KEEP_ALIVE_MS,
      // HTTP/1.1 only: the upload path (and the file reader's buffer reuse) is the one analysed and tested.
      allowH2: false,
      ...(kind === "api" ? { connections: API_CONNECTIONS } : {}),
    }, proxies);
    agents.set(key, agent);
  }
  return agent;
}

function agentKey(settings: ConnectionSettings, proxies: ProxyEnv): string {
  const ca = settings.ca === undefined ? null : createHash("sha256").update(settings.ca).digest("hex");
  // The client identity by digest: the key itself is never kept in a map key.
  const identity = settings.cert === undefined && settings.key === undefined ? null : createHash("sha256").update(settings.cert ?? "").update("\0").update(settings.key ?? "").digest("hex");
  return JSON.stringify([settings.connectMs, settings.headersMs, settings.idleMs, ca, settings.insecure === true, proxyKey(proxies), identity]);
}

/** Closed or destroyed (both agent kinds have the flags at run time; the proxy agent's types omit them). */
function isShut(agent: undici.Dispatcher): boolean {
  const flags = agent as { closed?: boolean; destroyed?: boolean };
  return flags.closed === true || flags.destroyed === true;
}
