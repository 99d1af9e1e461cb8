import { createReadStream, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A local HTTP server on 127.0.0.1 serving image sources the way real servers do, for URL-source tests. */
export interface SourceServer {
  readonly url: string;
  /** Request count per path. */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Routes: `/file` (with Content-Length), `/chunked` (no Content-Length), `/auth` (basic auth user:pw or
 * header X-Token: t0ken), `/missing` (404), `/broken` (500), `/loop` (redirects to itself),
 * `/redirect` (302 to /file), `/empty` (200, 0 bytes), `/cut` (declares the file's length, sends half of it,
 * then closes the connection: a server that breaks mid-download).
 */
export async function startSourceServer(file: string): Promise<SourceServer> {
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const sendFile = (withLength: boolean): void => {
      const size = statSync(file).size;
      res.writeHead(200, { "content-type": "application/octet-stream", ...(withLength ? { "content-length": String(size) } : {}) });
      createReadStream(file).pipe(res);
    };
    switch (path) {
      case "/file":
        return sendFile(true);
      case "/chunked":
        return sendFile(false);
      case "/auth": {
        const basic = `Basic ${Buffer.from("user:s3cret-pw").toString("base64")}`;
        if (req.headers.authorization === basic || req.headers["x-token"] === "t0ken-value") return sendFile(true);
        res.writeHead(401, { "www-authenticate": "Basic" }).end("no");
        return;
      }
      case "/redirect":
        res.writeHead(302, { location: "/file" }).end();
        return;
      case "/loop":
        res.writeHead(302, { location: "/loop" }).end();
        return;
      case "/empty":
        res.writeHead(200, { "content-length": "0" }).end();
        return;
      case "/broken":
        res.writeHead(500).end("boom");
        return;
      case "/cut": {
        const size = statSync(file).size;
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(size) });
        createReadStream(file, { end: Math.floor(size / 2) - 1 })
          .on("end", () => res.socket?.end())
          .pipe(res, { end: false });
        return;
      }
      default:
        res.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
