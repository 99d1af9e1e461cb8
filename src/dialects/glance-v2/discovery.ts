import type { Transport } from "../../http/transport";
import { schemaPath, storesInfoPath, versionsPath } from "./paths";
import type { GlanceStore, GlanceVersion, ImageSchema } from "./types";

/** What a Glance deployment offers: API versions, stores, schemas. */
export class DiscoveryApi {
  constructor(private readonly http: Transport) {}

  /** `GET /versions`. */
  async versions(): Promise<GlanceVersion[]> {
    const res = await this.http.json<{ versions: GlanceVersion[] }>({ method: "GET", path: versionsPath(), expect: [200, 300], context: "read API versions" });
    return res.body.versions;
  }

  /** `GET /v2/info/stores`; a single-store Glance answers 404, reported here as an empty list. */
  async stores(): Promise<GlanceStore[]> {
    try {
      const res = await this.http.json<{ stores: GlanceStore[] }>({ method: "GET", path: storesInfoPath(), expect: [200], context: "read stores" });
      return res.body.stores;
    } catch (error) {
      if ((error as { status?: unknown }).status === 404) return [];
      throw error;
    }
  }

  /** `GET /v2/schemas/image`: allowed formats and attributes of this deployment. */
  async imageSchema(): Promise<ImageSchema> {
    const res = await this.http.json<ImageSchema>({ method: "GET", path: schemaPath("image"), expect: [200], context: "read image schema" });
    return res.body;
  }

  /** Any other schema (`images`, `member`, `members`, `task`, `tasks`). */
  async schema(name: "images" | "member" | "members" | "task" | "tasks"): Promise<Record<string, unknown>> {
    const res = await this.http.json<Record<string, unknown>>({ method: "GET", path: schemaPath(name), expect: [200], context: `read ${name} schema` });
    return res.body;
  }
}
