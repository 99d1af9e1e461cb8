/**
 * A throw-away HTTP server on 127.0.0.1 for web-download tests: serves the buffers it was given, answers
 * 404 to anything else, and records every request it saw.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The request's User-Agent ("" when none): tells Glance's own fetch (web-download) from the provider's. */
  readonly userAgent: string;
}

export interface FileServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** The URL of a path on this server. */
  url(path: string): string;
  /** Serves `data` at `path` from now on. */
  serve(path: string, data: Buffer): void;
  readonly requests: readonly ServedRequest[];
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, Buffer>();
  const requests: ServedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const data = files.get(path);
    if (data === undefined || (req.method !== "GET" && req.method !== "HEAD")) {
      requests.push({ method: req.method ?? "", path, status: 404, userAgent: req.headers["user-agent"] ?? "" });
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    requests.push({ method: req.method ?? "", path, status: 200, userAgent: req.headers["user-agent"] ?? "" });
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(data.length) });
    res.end(req.method === "HEAD" ? undefined : data);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path.startsWith("/") ? path : `/${path}`}`,
    serve: (path, data) => void files.set(path.startsWith("/") ? path : `/${path}`, data),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err === undefined ? resolve() : reject(err)));
      }),
  };
}
