import { Transport, type TransportOptions } from "../../http/transport";
import { DiscoveryApi } from "./discovery";
import { ImageDataApi } from "./image-data";
import { ImagesApi } from "./images";
import { ImportsApi } from "./imports";
import { MembersApi } from "./members";

/** Settings of a {@link GlanceClient}: the endpoint plus the transport's options. */
export interface GlanceClientOptions extends Omit<TransportOptions, "baseUrl"> {
  /** The image service endpoint, with or without a trailing `/v2`. */
  readonly endpoint: string;
}

/**
 * A Glance v2 client, grouped by concern the way the API reference is: `images`, `data`, `imports`,
 * `members`, `discovery`. Connections are shared by the clients of a process (see `sharedAgent`) and
 * outlive a client; {@link GlanceClient.close} only ends this client's use of them.
 */
export class GlanceClient {
  readonly images: ImagesApi;
  readonly data: ImageDataApi;
  readonly imports: ImportsApi;
  readonly members: MembersApi;
  readonly discovery: DiscoveryApi;
  private readonly http: Transport;

  constructor(options: GlanceClientOptions) {
    const { endpoint, ...rest } = options;
    this.http = new Transport({ ...rest, baseUrl: normalizeEndpoint(endpoint) });
    this.images = new ImagesApi(this.http);
    this.data = new ImageDataApi(this.http);
    this.imports = new ImportsApi(this.http);
    this.members = new MembersApi(this.http);
    this.discovery = new DiscoveryApi(this.http);
  }

  /** The endpoint requests go to (without the version suffix). */
  get endpoint(): string {
    return this.http.baseUrl.toString().replace(/\/$/, "");
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

/** Strips a trailing `/v2`, `/v2.1`, `/v2/` from a catalog endpoint: paths carry their own version. */
function normalizeEndpoint(endpoint: string): string {
  return endpoint.replace(/\/+$/, "").replace(/\/v2(\.\d+)?$/, "");
}
