"use strict";
// The loopback sink of measurement `sink`: an HTTP/1.1 receiver that is not the bottleneck. A PUT or POST
// whose path ends in /file or /stage (an image upload) is read and discarded, then answered 204; the
// bytes received are counted per request (GET /_sink/last answers them as JSON). Every other request is
// forwarded unchanged to UPSTREAM (the local Glance), so a client can create the image record there
// (POST /v2/images, version discovery) and send its data here. Used identically by every client.
//   node bench/sink-server.cjs [UPSTREAM]   → prints "LISTENING http://127.0.0.1:PORT", serves until killed
const http = require("node:http");

const upstream = process.argv[2] === undefined ? undefined : new URL(process.argv[2]);
let last = { bytes: 0, chunked: false };
const agent = new http.Agent({ keepAlive: true });

const server = http.createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname;
  if ((req.method === "PUT" || req.method === "POST") && /\/(file|stage)$/.test(path)) {
    let bytes = 0;
    req.on("data", (chunk) => (bytes += chunk.length));
    req.on("end", () => {
      last = { bytes, chunked: req.headers["transfer-encoding"] === "chunked" };
      res.writeHead(204).end();
    });
    return;
  }
  if (path === "/_sink/last") return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(last));
  if (upstream === undefined) return void res.writeHead(404).end();
  // The Host header stays the sink's: Glance builds the links of its version document from it, so clients stay on the sink.
  const headers = { ...req.headers };
  const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent }, (up) => {
    const back = { ...up.headers };
    // Links Glance builds from its own address (next pages, locations) keep pointing at the sink.
    res.writeHead(up.statusCode ?? 502, back);
    up.pipe(res);
  });
  out.on("error", (e) => res.writeHead(502).end(String(e.message)));
  req.pipe(out);
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => console.log(`LISTENING http://127.0.0.1:${server.address().port}`));
