"use strict";
// The HTTP source for URL uploads: serves the files of one directory on 127.0.0.1 with Content-Length.
//   node bench/source-server.cjs DIR      → prints "LISTENING http://127.0.0.1:PORT" then serves until killed
const http = require("node:http");
const fs = require("node:fs");
const path = require("node:path");

const dir = process.argv[2];
const server = http.createServer((req, res) => {
  const file = path.join(dir, path.basename(new URL(req.url, "http://x").pathname));
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(st.size) });
    fs.createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(res);
  });
});
server.listen(0, "127.0.0.1", () => console.log(`LISTENING http://127.0.0.1:${server.address().port}`));
