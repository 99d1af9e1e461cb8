import type { Transport } from "../../http/transport";
import { imageImportPath, imageTasksPath, importInfoPath } from "./paths";
import type { GlanceTask, ImportMethodName, ImportRequest } from "./types";

/** Interoperable image import (`POST /import`), its tasks, and the methods a cloud offers. */
export class ImportsApi {
  constructor(private readonly http: Transport) {}

  /** `POST /v2/images/{id}/import`; Glance answers 202 and works in the background. */
  async start(id: string, request: ImportRequest, signal?: AbortSignal): Promise<void> {
    await this.http.empty({
      method: "POST",
      path: imageImportPath(id),
      json: request,
      expect: [202],
      context: `import ${request.method.name} into image ${id}`,
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** `GET /v2/images/{id}/tasks`: the import tasks of an image, newest last as Glance returns them. */
  async tasks(id: string, signal?: AbortSignal): Promise<GlanceTask[]> {
    const res = await this.http.json<{ tasks: GlanceTask[] }>({
      method: "GET",
      path: imageTasksPath(id),
      expect: [200],
      context: `list tasks of image ${id}`,
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body.tasks;
  }

  /** `GET /v2/info/import`: the import methods this cloud enables. */
  async methods(signal?: AbortSignal): Promise<ImportMethodName[]> {
    const res = await this.http.json<{ "import-methods": { value: ImportMethodName[] } }>({
      method: "GET",
      path: importInfoPath(),
      expect: [200],
      context: "read import methods",
      ...(signal === undefined ? {} : { signal }),
    });
    return res.body["import-methods"].value;
  }
}
