import { AuthError, HttpError } from "../../errors";
import { Transport, type TransportOptions } from "../../http/transport";
import { routeOf, type OperationName } from "./contract";
import { VENDOR_LABEL } from "./mapping";
import type { VendorSettings } from "./settings";
import { ACCESS_HEADERS, type VendorEnvelope } from "./wire";

export type Params = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/** Options of {@link VendorCalls}: the endpoint (scheme, host, any prefix before `/v1/openstack/image`), the transport's, and the vendor settings. */
export interface VendorCallsOptions extends Omit<TransportOptions, "baseUrl"> {
  readonly endpoint: string;
  readonly vendor: VendorSettings;
}

/** Statuses whose envelope the client reads (assumption errorSignal=http); anything else is the transport's failure. */
const READ_STATUSES = [200, 400, 401, 403, 404, 406];

/**
 * One request per documented operation (the contract's routes), its answer's envelope decoded. Read and list
 * (safe GETs) go through the transport's retries; the POSTs and the delete GET are sent exactly once (a GET
 * that deletes is never repeated: assumption deleteIsGet). A failure is an {@link HttpError} with the
 * envelope's status and message whether the server signals it in the HTTP status or only in the envelope
 * (errorSignal); 401/403 are {@link AuthError}s (authFailure).
 */
export class VendorCalls {
  private readonly safe: Transport;
  private readonly once: Transport;
  private readonly settings: VendorSettings;

  constructor(options: VendorCallsOptions) {
    const { endpoint, vendor, ...rest } = options;
    const baseUrl = endpoint.replace(/\/+$/, "");
    this.safe = new Transport({ ...rest, baseUrl });
    this.once = new Transport({ ...rest, baseUrl, retry: { ...rest.retry, retries: 0, budgetMs: 0, statuses: [] } });
    this.settings = vendor;
  }

  get endpoint(): string {
    return this.safe.baseUrl.toString().replace(/\/$/, "");
  }

  /** Sends `op` with `params` (imageId in the path and as a parameter: imageIdLocation) and returns the envelope's `result`. */
  async call<T>(op: OperationName, params: Params, context: string, imageId?: string, signal?: AbortSignal): Promise<T | undefined> {
    const route = routeOf(op);
    const path = route.path.replace("{imageId}", encodeURIComponent(imageId ?? ""));
    const all: Params = imageId === undefined ? params : { imageId, ...params };
    const headers = {
      [ACCESS_HEADERS.accessToken]: this.settings.accessToken,
      [ACCESS_HEADERS.sessionToken]: this.settings.sessionToken,
      [ACCESS_HEADERS.sessionSecret]: this.settings.sessionSecret,
    };
    const http = op === "read" || op === "list" ? this.safe : this.once;
    const common = { method: route.method, path, headers, expect: READ_STATUSES, context, ...(signal === undefined ? {} : { signal }) } as const;
    const res =
      route.method === "GET"
        ? await http.json<VendorEnvelope<T>>({ ...common, query: all })
        : this.settings.bodyEncoding === "json"
          ? await http.json<VendorEnvelope<T>>({ ...common, json: definedOnly(all) })
          : await http.json<VendorEnvelope<T>>({ ...common, body: formBody(all), contentType: "application/x-www-form-urlencoded" });
    const body = res.body ?? {};
    const status = res.status !== 200 ? res.status : typeof body.status === "number" ? body.status : 200;
    if (status === 200) return body.result;
    const message = typeof body.message === "string" ? body.message : undefined;
    const url = http.url(path).toString();
    if (status === 401 || status === 403) {
      throw new AuthError(
        `${VENDOR_LABEL} refused the access headers (${Object.values(ACCESS_HEADERS).join(", ")}) to ${context} (status ${status}${message === undefined ? "" : `: ${message}`}): check glance:vendorAccessToken, glance:vendorSessionToken and glance:vendorSessionSecret (a session may have expired)`,
      );
    }
    throw new HttpError({ status, method: route.method, url, ...(message === undefined ? {} : { serverMessage: message }) }, { context });
  }

  async close(): Promise<void> {
    await Promise.all([this.safe.close(), this.once.close()]);
  }
}

/** A form body; a String[] is its key repeated (arrayEncoding=repeated), an empty one the key with no value. */
function formBody(params: Params): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") form.append(key, String(value));
    else if (value.length === 0) form.append(key, "");
    else for (const item of value) form.append(key, item);
  }
  return form.toString();
}

function definedOnly(params: Params): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
}
