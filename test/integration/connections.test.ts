/**
 * Connection reuse across provider calls: every call builds its own client, but the process shares
 * keep-alive connections, so a stack's refresh does not open a connection per resource and API calls
 * never queue behind an upload. Counted by a proxy in front of the real Glance (no faults scripted) that
 * keeps idle connections for 5 minutes and says so (`Keep-Alive: timeout=300`), so the counts follow from
 * reuse alone, not from how fast a busy machine runs the steps (the default 4 s keep-alive would close
 * connections between slow steps).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_CONNECTIONS } from "../../src/http/agent-pool";
import type { ImageProvider } from "../../src/provider/provider";
import { FILE_PATH, IMAGE_PATH, IMAGES_PATH, startFaultProxy, type FaultProxy } from "../helpers/fault-proxy";
import { glanceUrl, runPrefix } from "../helpers/glance";
import { checked, provider, scratch, sweep, type ImageOutputs } from "../helpers/provider";

const prefix = runPrefix("conns");
const files = scratch();
const savedEndpoint = process.env["OS_IMAGE_URL"];
let proxy: FaultProxy;
let p: ImageProvider;
const made: { id: string; outs: ImageOutputs }[] = [];

beforeAll(async () => {
  proxy = await startFaultProxy(glanceUrl(), { keepAliveSeconds: 300 });
  p = provider();
  process.env["OS_IMAGE_URL"] = proxy.url;
});

afterAll(async () => {
  if (savedEndpoint === undefined) delete process.env["OS_IMAGE_URL"];
  else process.env["OS_IMAGE_URL"] = savedEndpoint;
  await sweep(prefix);
  await proxy?.close();
  files.cleanup();
});

describe("connections", () => {
  it("sequential creates reuse connections: after the first create's, the next 4 creates (16 requests) open none", async () => {
    const data = files.file("seq.raw", 256 * 1024);
    const before = proxy.connections;
    let afterFirst = 0;
    for (let i = 0; i < 5; i += 1) {
      const inputs = await checked(p, { name: `${prefix}-seq-${i}`, diskFormat: "raw", source: { file: data.path } });
      const result = await p.create(inputs);
      made.push({ id: result.id, outs: result.outs as ImageOutputs });
      if (i === 0) afterFirst = proxy.connections - before;
    }
    expect(proxy.requests("POST", IMAGES_PATH)).toHaveLength(5);
    expect(proxy.requests("PUT", FILE_PATH)).toHaveLength(5);
    expect(proxy.requests("GET", IMAGE_PATH).length).toBeGreaterThanOrEqual(5);
    // The first create opens the data connection and one or two API connections (undici opens a second one
    // when a request follows an answer before its connection is handed back); every later create reuses them.
    expect(afterFirst).toBeGreaterThanOrEqual(2);
    expect(afterFirst).toBeLessThanOrEqual(3);
    expect(proxy.connections - before).toBe(afterFirst);
  });

  it(`${3 * API_CONNECTIONS} concurrent refreshes use at most ${API_CONNECTIONS} connections, and each is one GET`, async () => {
    proxy.reset();
    const before = proxy.connections;
    const reads = await Promise.all(Array.from({ length: 3 * API_CONNECTIONS }, (_, i) => made[i % made.length]!).map((m) => p.read(m.id, m.outs)));
    expect(reads.every((r, i) => r.id === made[i % made.length]!.id)).toBe(true);
    expect(proxy.requests("GET", IMAGE_PATH)).toHaveLength(3 * API_CONNECTIONS);
    expect(proxy.records).toHaveLength(3 * API_CONNECTIONS);
    const opened = proxy.connections - before;
    expect(opened).toBeLessThanOrEqual(API_CONNECTIONS);
  });

  it("an API call is not held up by an upload in flight: a refresh answers while a throttled upload runs", async () => {
    proxy.reset();
    const data = files.file("slow.raw", 4 * 1024 * 1024);
    proxy.when("PUT", FILE_PATH).throttle(1024 * 1024); // ~4 s upload
    const inputs = await checked(p, { name: `${prefix}-slow`, diskFormat: "raw", source: { file: data.path } });
    const creating = p.create(inputs);
    await proxy.waitFor((records) => records.some((r) => r.method === "PUT"), 10_000, "the upload to start");
    const first = made[0]!;
    const read = await p.read(first.id, first.outs);
    const put = proxy.requests("PUT", FILE_PATH)[0]!;
    expect(read.id).toBe(first.id);
    expect(put.outcome).toBe("pending"); // the refresh was answered while the upload was still running
    const created = await creating;
    expect(created.outs).toMatchObject({ status: "active", sizeBytes: 4 * 1024 * 1024 });
  });
});
