import type { Transport } from "../../http/transport";
import type { PatchOperation } from "./patch";
import { imageActionPath, imagePath, imagesPath, imageTagPath } from "./paths";
import type { CreateImageRequest, GlanceImage, ImageListPage, ListImagesQuery } from "./types";

/** The JSON-Patch media type Glance v2.1 requires for PATCH. */
export const PATCH_MEDIA_TYPE = "application/openstack-images-v2.1-json-patch";

/** Image records: create, get, list, patch, delete, tags, deactivate/reactivate. */
export class ImagesApi {
  constructor(private readonly http: Transport) {}

  /** `POST /v2/images`. Pass `id` to choose the UUID (makes a retried create recognisable). */
  async create(request: CreateImageRequest, signal?: AbortSignal): Promise<GlanceImage> {
    const res = await this.http.json<GlanceImage>({
      method: "POST",
      path: imagesPath(),
      json: request,
      expect: [201],
      context: "create image",
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body;
  }

  /** `GET /v2/images/{id}`. A 404 rejects with an HttpError of status 404. */
  async get(id: string, signal?: AbortSignal): Promise<GlanceImage> {
    const res = await this.http.json<GlanceImage>({
      method: "GET",
      path: imagePath(id),
      expect: [200],
      context: `get image ${id}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body;
  }

  /** One page of `GET /v2/images`, or the page a `next`/`first` link points at. */
  async listPage(query: ListImagesQuery | { readonly link: string }, signal?: AbortSignal): Promise<ImageListPage> {
    const spec =
      "link" in query
        ? { path: query.link }
        : { path: imagesPath(), query: listQuery(query) };
    const res = await this.http.json<ImageListPage>({
      method: "GET",
      ...spec,
      expect: [200],
      context: "list images",
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body;
  }

  /** Every image matching `query`, following `next` links page by page. */
  async *list(query: ListImagesQuery = {}, signal?: AbortSignal): AsyncGenerator<GlanceImage, void, undefined> {
    let page = await this.listPage(query, signal);
    for (;;) {
      yield* page.images;
      if (page.next === undefined || page.images.length === 0) return;
      page = await this.listPage({ link: page.next }, signal);
    }
  }

  /** `PATCH /v2/images/{id}` with JSON-Patch operations; returns the updated image. */
  async patch(id: string, operations: readonly PatchOperation[], signal?: AbortSignal): Promise<GlanceImage> {
    const res = await this.http.json<GlanceImage>({
      method: "PATCH",
      path: imagePath(id),
      json: operations,
      contentType: PATCH_MEDIA_TYPE,
      expect: [200],
      context: `update image ${id}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body;
  }

  /** `DELETE /v2/images/{id}`. */
  async delete(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.empty({
      method: "DELETE",
      path: imagePath(id),
      expect: [204],
      context: `delete image ${id}`,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** `PUT /v2/images/{id}/tags/{tag}`. */
  async addTag(id: string, tag: string): Promise<void> {
    await this.http.empty({ method: "PUT", path: imageTagPath(id, tag), expect: [204], context: `tag image ${id}` });
  }

  /** `DELETE /v2/images/{id}/tags/{tag}`. */
  async removeTag(id: string, tag: string): Promise<void> {
    await this.http.empty({ method: "DELETE", path: imageTagPath(id, tag), expect: [204], context: `untag image ${id}` });
  }

  /** `POST /v2/images/{id}/actions/deactivate` (idempotent). */
  async deactivate(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.empty({ method: "POST", path: imageActionPath(id, "deactivate"), expect: [204], context: `deactivate image ${id}`, ...(signal === undefined ? {} : { signal }) });
  }

  /** `POST /v2/images/{id}/actions/reactivate` (idempotent). */
  async reactivate(id: string, signal?: AbortSignal): Promise<void> {
    await this.http.empty({ method: "POST", path: imageActionPath(id, "reactivate"), expect: [204], context: `reactivate image ${id}`, ...(signal === undefined ? {} : { signal }) });
  }
}

function listQuery(query: ListImagesQuery): Record<string, string | number | boolean | readonly string[] | undefined> {
  const { properties, ...standard } = query;
  return { ...properties, ...standard };
}
