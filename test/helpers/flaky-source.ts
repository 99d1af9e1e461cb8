import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the flaky source saw. */
export interface FlakyRequest {
  readonly method: string;
  readonly range: string | undefined;
  readonly ifRange: string | undefined;
  readonly status: number;
  /** Which version of the data the answer carried (index into `versions`). */
  readonly version: number;
}

export interface FlakyOptions {
  /** The data; the server serves `versions[0]` until it switches (see `changeAfterCut`). */
  readonly versions: readonly Buffer[];
  /** Absolute byte offsets where an answer is cut (the connection closed mid-body), each once, in order. */
  readonly cuts: readonly number[];
  /** Advertise `Accept-Ranges: bytes` and honour `Range` (with `If-Range`). Default true. */
  readonly ranges?: boolean;
  /** Advertise ranges but answer 200 with the whole body to a `Range` request. */
  readonly ignoreRange?: boolean;
  /** The validator the server sends. Default "etag". */
  readonly validator?: "etag" | "last-modified" | "weak-etag" | "none";
  /** Switch to the next version after this many cuts (the data changes upstream mid-download). */
  readonly changeAfterCut?: number;
  /** How an `If-Range` that no longer matches is answered: 200 with the new version (HTTP) or 412. Default 200. */
  readonly onMismatch?: 200 | 412;
  /** Answer HEAD with 405 (some object stores and CDNs do). Default false. */
  readonly refuseHead?: boolean;
}

export interface FlakySource {
  readonly url: string;
  readonly requests: readonly FlakyRequest[];
  /** Serves another version from now on (the content changes upstream). */
  use(version: number): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server on 127.0.0.1 whose answers break at chosen byte offsets, with or without range
 * support, whose validator can change mid-download: what a flaky mirror does to a long download.
 */
export async function startFlakySource(options: FlakyOptions): Promise<FlakySource> {
  const requests: FlakyRequest[] = [];
  const cuts = [...options.cuts];
  let cutsDone = 0;
  let version = 0;
  const ranges = options.ranges ?? true;
  const validatorOf = (v: number): Record<string, string> => {
    switch (options.validator ?? "etag") {
      case "etag":
        return { etag: `"v${v}"` };
      case "weak-etag":
        return { etag: `W/"v${v}"` };
      case "last-modified":
        return { "last-modified": new Date(Date.UTC(2024, 0, 1 + v)).toUTCString() };
      case "none":
        return {};
    }
  };
  const server: Server = createServer((req, res) => {
    const data = options.versions[version] as Buffer;
    const validator = validatorOf(version);
    const rangeHeader = typeof req.headers.range === "string" ? req.headers.range : undefined;
    const ifRange = typeof req.headers["if-range"] === "string" ? req.headers["if-range"] : undefined;
    const current = validator["etag"] ?? validator["last-modified"];
    const match = /^bytes=(\d+)-$/.exec(rangeHeader ?? "");
    let start = 0;
    let status = 200;
    if (ranges && !options.ignoreRange && match !== null) {
      if (ifRange === undefined || ifRange === current) {
        start = Number(match[1]);
        status = 206;
      } else if (options.onMismatch === 412) {
        status = 412;
      }
    }
    if (req.method === "HEAD" && options.refuseHead === true) status = 405;
    const ifNoneMatch = req.headers["if-none-match"];
    const ifModifiedSince = req.headers["if-modified-since"];
    if (req.method === "GET" && (ifNoneMatch !== undefined || ifModifiedSince !== undefined)) {
      if (ifNoneMatch !== undefined ? ifNoneMatch === validator["etag"] : ifModifiedSince === validator["last-modified"]) status = 304;
    }
    requests.push({ method: req.method ?? "", range: rangeHeader, ifRange, status, version });
    if (status === 412 || status === 405 || status === 304) {
      res.writeHead(status, status === 304 ? validator : {}).end();
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/octet-stream", "content-length": String(data.length - start), ...validator };
    if (ranges) headers["accept-ranges"] = "bytes";
    if (status === 206) headers["content-range"] = `bytes ${start}-${data.length - 1}/${data.length}`;
    res.writeHead(status, headers);
    const cut = cuts.find((at) => at > start);
    if (cut === undefined || cut >= data.length) {
      res.end(data.subarray(start));
      return;
    }
    cuts.splice(cuts.indexOf(cut), 1);
    res.write(data.subarray(start, cut), () => {
      cutsDone += 1;
      if (options.changeAfterCut !== undefined && cutsDone >= options.changeAfterCut && version + 1 < options.versions.length) version += 1;
      res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/image.raw`,
    requests,
    use: (next) => void (version = next),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
