import { AuthError } from "../errors";
import type { CatalogService } from "./catalog";

/** A token Keystone issued or validated, with what the provider needs from its body. */
export interface IssuedToken {
  readonly token: string;
  /** `expires_at`, in ms since the epoch by Keystone's clock; undefined for tokens that never expire. */
  readonly expiresAt: number | undefined;
  /** `issued_at`, by Keystone's clock. */
  readonly issuedAt: number | undefined;
  readonly catalog: readonly CatalogService[];
  /** The scope, for messages ("project admin"). */
  readonly project: { readonly id: string; readonly name?: string } | undefined;
  readonly userId: string | undefined;
}

interface TokenBody {
  token?: {
    expires_at?: unknown;
    issued_at?: unknown;
    catalog?: unknown;
    project?: { id?: unknown; name?: unknown };
    user?: { id?: unknown };
  };
}

/** Reads the `{"token": {...}}` body of `POST` or `GET /v3/auth/tokens`; `token` is the `X-Subject-Token`. */
export function parseTokenResponse(token: string, body: unknown, where: string): IssuedToken {
  const t = (body as TokenBody | undefined)?.token;
  if (typeof t !== "object" || t === null) throw new AuthError(`${where} answered without a token body: is this a Keystone v3 endpoint?`);
  const project = t.project !== undefined && typeof t.project.id === "string" ? t.project : undefined;
  return {
    token,
    expiresAt: time(t.expires_at),
    issuedAt: time(t.issued_at),
    catalog: Array.isArray(t.catalog) ? (t.catalog as CatalogService[]) : [],
    project:
      project === undefined
        ? undefined
        : { id: project.id as string, ...(typeof project.name === "string" ? { name: project.name } : {}) },
    userId: typeof t.user?.id === "string" ? t.user.id : undefined,
  };
}

/** Keystone writes `2026-11-22T11:47:41.000000Z`: microseconds, which Date parses once cut to ms. */
function time(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(ms) ? undefined : ms;
}
