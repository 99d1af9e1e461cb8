/**
 * The fault proxy (test/helpers/fault-proxy.ts) while the Glance behind it is down: it answers 502, as a
 * load balancer does, so the provider sees an unavailable server (its time budget) instead of connections
 * cut mid-exchange (a few quick retries), which made the kill-and-restart tests flake on a slow restart.
 * No Glance is involved: the upstream is a port nobody listens on.
 */
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TimeoutError } from "../../src/errors";
import { Transport } from "../../src/http/transport";
import { startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";

let proxy: FaultProxy;

/** A port that was free a moment ago and now refuses connections. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  proxy = await startFaultProxy(`http://127.0.0.1:${await refusingPort()}`, { lifetimeMs: 60_000 });
});

afterAll(async () => {
  await proxy.close();
});

describe("fault proxy: the upstream refuses connections", () => {
  it("a GET is answered 502 with a JSON body, recorded as bad-gateway", async () => {
    const res = await fetch(`${proxy.url}/v2/images`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: "502", title: "Bad Gateway" });
    expect(proxy.requests("GET", /^\/v2\/images$/).map((r) => [r.outcome, r.status])).toEqual([["bad-gateway", 502]]);
    expect(proxy.records[0]?.error).toMatch(/ECONNREFUSED/);
  });

  it("a PUT with a body is answered 502 too, and the transport treats it as an unavailable server (its time budget), not a cut connection", async () => {
    const http = new Transport({ baseUrl: proxy.url, retry: { retries: 0, budgetMs: 0 } });
    const error = await http
      .empty({ method: "PUT", path: "/v2/images/x/file", body: Buffer.alloc(1 << 20, 1), contentType: "application/octet-stream", expect: [204] })
      .catch((e: unknown) => e);
    await http.close();
    // The unavailable-server path: the time budget (0 s here) runs out naming the 502, not a NetworkError.
    expect(error, String(error)).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeout).toBe("retryBudgetSeconds");
    expect((error as Error).message).toMatch(/server stayed unavailable \(PUT http:\/\/127\.0\.0\.1:\d+\/v2\/images\/x\/file answered 502/);
    expect(proxy.requests("PUT", /\/file$/).map((r) => [r.outcome, r.status])).toEqual([["bad-gateway", 502]]);
  });
});
