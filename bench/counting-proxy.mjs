// A reverse proxy on 127.0.0.1 in front of Glance that counts client connections and requests
// (by method and path, ids replaced by {id}). Bodies are streamed through both ways.
import http from "node:http";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export async function startCountingProxy(upstream) {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  let connections = 0;
  let requests = new Map();
  const server = http.createServer((req, res) => {
    const key = `${req.method} ${new URL(req.url, "http://x").pathname.replace(UUID, "{id}")}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const up = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on("error", (e) => res.destroy(e));
    req.pipe(up);
  });
  server.on("connection", () => (connections += 1));
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    /** Counts since the last reset: { connections, requests: {"GET /v2/images/{id}": n, ...}, total }. */
    take() {
      const out = { connections, requests: Object.fromEntries(requests), total: [...requests.values()].reduce((a, b) => a + b, 0) };
      connections = 0;
      requests = new Map();
      return out;
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
