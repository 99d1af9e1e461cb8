import type { Readable } from "node:stream";
import type { Transport } from "../../http/transport";
import { imageFilePath, imageStagePath, storeImagePath } from "./paths";

/** Options of an upload. */
export interface UploadOptions {
  /** The exact size in bytes, when known: sent as `Content-Length` and `x-openstack-image-size`. */
  readonly size?: number;
  /** The store to write to (multi-store Glance; `X-Image-Meta-Store`). */
  readonly store?: string;
  readonly signal?: AbortSignal;
}

/** A download: the data stream and what Glance said of it. */
export interface ImageDownload {
  /** `undefined` when the image has no data (Glance answers 204). */
  readonly body: Readable | undefined;
  readonly status: number;
  /** `Content-Length`, when sent. */
  readonly size: number | undefined;
  /** `Content-MD5` (Glance's `checksum`). */
  readonly md5: string | undefined;
}

/** Image data: upload (`PUT /file`), stage (`PUT /stage`), download, and removal from one store. */
export class ImageDataApi {
  constructor(private readonly http: Transport) {}

  /** Streams `data` into `PUT /v2/images/{id}/file`. It is consumed once and never buffered. */
  async upload(id: string, data: Readable | AsyncIterable<Uint8Array>, options: UploadOptions = {}): Promise<void> {
    await this.put(imageFilePath(id), data, options, `upload data of image ${id}`);
  }

  /** Streams `data` into `PUT /v2/images/{id}/stage` (for a later `glance-direct` import). */
  async stage(id: string, data: Readable | AsyncIterable<Uint8Array>, options: Omit<UploadOptions, "store"> = {}): Promise<void> {
    await this.put(imageStagePath(id), data, options, `stage data of image ${id}`);
  }

  /** One streamed data `PUT` (204), on a data connection. */
  private async put(path: string, data: Readable | AsyncIterable<Uint8Array>, options: UploadOptions, context: string): Promise<void> {
    await this.http.empty({
      method: "PUT",
      path,
      body: data,
      contentType: "application/octet-stream",
      headers: dataHeaders(options),
      expect: [204],
      context,
      transfer: true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }

  /** `GET /v2/images/{id}/file`, optionally a byte range. The caller consumes or destroys the stream. */
  async download(id: string, options: { range?: { start: number; end?: number }; signal?: AbortSignal } = {}): Promise<ImageDownload> {
    const headers: Record<string, string> = { accept: "application/octet-stream" };
    if (options.range !== undefined) headers["range"] = `bytes=${options.range.start}-${options.range.end ?? ""}`;
    const res = await this.http.stream({
      method: "GET",
      path: imageFilePath(id),
      headers,
      expect: [200, 204, 206],
      context: `download data of image ${id}`,
      transfer: true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    if (res.status === 204) {
      res.body.resume();
      return { body: undefined, status: 204, size: 0, md5: undefined };
    }
    const length = res.headers["content-length"];
    const md5 = res.headers["content-md5"];
    return {
      body: res.body,
      status: res.status,
      size: typeof length === "string" ? Number(length) : undefined,
      md5: typeof md5 === "string" ? md5 : undefined,
    };
  }

  /** `DELETE /v2/stores/{store}/{id}`: removes the image's data from one store. */
  async deleteFromStore(store: string, id: string): Promise<void> {
    await this.http.empty({ method: "DELETE", path: storeImagePath(store, id), expect: [204], context: `delete image ${id} from store ${store}` });
  }
}

function dataHeaders(options: UploadOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (options.size !== undefined) {
    headers["content-length"] = String(options.size);
    headers["x-openstack-image-size"] = String(options.size);
  }
  if (options.store !== undefined) headers["x-image-meta-store"] = options.store;
  return headers;
}
