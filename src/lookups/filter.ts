import type { DialectCapabilities } from "../dialects/dialect";
import { IMAGE_STATES, MEMBER_STATUSES, SORT_KEYS, type ImageFilter, type ImageState, type SortOrder, type TimeRange } from "../dialects/image-record";
import { InputError } from "../errors";
import type { GetImageIdsArgs, ImageTimeRangeArgs } from "./args";

/** A lookup's arguments as a dialect filter, plus the client-side-only name pattern. */
export interface LookupFilter {
  readonly filter: ImageFilter;
  readonly nameRegex?: RegExp;
}

const VISIBILITY_CHOICES = ["public", "private", "shared", "community", "all"];

/**
 * Checks a lookup's arguments and maps them onto an {@link ImageFilter}. A bad value is an
 * {@link InputError} naming the argument and the fix; a filter the API cannot evaluate (tags or hidden
 * images on an API without them, a visibility it lacks) is refused naming the API rather than matching nothing.
 */
export function toLookupFilter(args: GetImageIdsArgs, capabilities: DialectCapabilities, pageSize?: number): LookupFilter {
  if (args.names !== undefined && args.names.length === 0) throw new InputError("names", "an empty list matches nothing: give at least one name, or leave names out");
  if (args.name !== undefined && args.names !== undefined && !args.names.includes(args.name)) {
    throw new InputError("names", `name "${args.name}" is not among names, so nothing could match: give one of them`);
  }
  const names = args.name ?? args.names;
  if (args.visibility !== undefined && !VISIBILITY_CHOICES.includes(args.visibility)) throw new InputError("visibility", `"${args.visibility}" is not a visibility: use one of ${VISIBILITY_CHOICES.join(", ")}`);
  if (args.visibility !== undefined && args.visibility !== "all" && !capabilities.visibilities.includes(args.visibility)) {
    throw new InputError("visibility", `${capabilities.label} has no ${args.visibility} images (it knows ${capabilities.visibilities.join(", ")}): use one of those or all`);
  }
  if (args.memberStatus !== undefined && !(MEMBER_STATUSES as readonly string[]).includes(args.memberStatus)) throw new InputError("memberStatus", `"${args.memberStatus}" is not a member status: use one of ${MEMBER_STATUSES.join(", ")}`);
  if ((args.tags?.length ?? 0) > 0 && !capabilities.tags) throw new InputError("tags", `${capabilities.label} has no image tags: filter by properties instead`);
  if (args.hidden === true && !capabilities.hidden) throw new InputError("hidden", `${capabilities.label} has no hidden images: leave hidden out`);
  const status = statuses(args.status);
  const sort = args.sort?.map((order, i): SortOrder => {
    if (!(SORT_KEYS as readonly string[]).includes(order.key)) throw new InputError(`sort[${i}].key`, `"${order.key}" is not a sort key: use one of ${SORT_KEYS.join(", ")}`);
    if (order.direction !== undefined && order.direction !== "asc" && order.direction !== "desc") throw new InputError(`sort[${i}].direction`, `"${order.direction}" is not a direction: use asc or desc`);
    return order.direction === undefined ? { key: order.key } : { key: order.key, direction: order.direction };
  });
  const filter: ImageFilter = {
    ...(names === undefined ? {} : { name: names }),
    ...(args.ids === undefined ? {} : { ids: args.ids }),
    ...(status === undefined ? {} : { status }),
    ...(args.diskFormat === undefined ? {} : { diskFormat: args.diskFormat }),
    ...(args.containerFormat === undefined ? {} : { containerFormat: args.containerFormat }),
    ...(args.visibility === undefined ? {} : args.visibility === "all" ? { allVisibilities: true } : { visibility: args.visibility }),
    ...(args.memberStatus === undefined ? {} : { memberStatus: args.memberStatus }),
    ...(args.owner === undefined ? {} : { owner: args.owner }),
    ...(args.hidden === undefined ? {} : { hidden: args.hidden }),
    ...(args.protected === undefined ? {} : { protected: args.protected }),
    ...(args.tags === undefined ? {} : { tags: args.tags }),
    ...(args.properties === undefined ? {} : { properties: ownEntries(args.properties) }),
    ...(args.sizeMinBytes === undefined ? {} : { sizeMinBytes: bytes(args.sizeMinBytes, "sizeMinBytes") }),
    ...(args.sizeMaxBytes === undefined ? {} : { sizeMaxBytes: bytes(args.sizeMaxBytes, "sizeMaxBytes") }),
    ...(args.createdAt === undefined ? {} : { createdAt: range(args.createdAt, "createdAt") }),
    ...(args.updatedAt === undefined ? {} : { updatedAt: range(args.updatedAt, "updatedAt") }),
    ...(sort === undefined ? {} : { sort }),
    ...(pageSize === undefined ? {} : { pageSize: positive(pageSize) }),
  };
  return { filter, ...(args.nameRegex === undefined ? {} : { nameRegex: regex(args.nameRegex) }) };
}

/** The filters as messages name them, e.g. `name "ubuntu", tags [a, b], properties {os_distro=ubuntu}`. */
export function describeFilters(args: GetImageIdsArgs): string {
  const parts: string[] = [];
  const quoted = (v: string | readonly string[]): string => (typeof v === "string" ? `"${v}"` : `[${v.map((x) => `"${x}"`).join(", ")}]`);
  if (args.name !== undefined) parts.push(`name ${quoted(args.name)}`);
  if (args.names !== undefined) parts.push(`names ${quoted(args.names)}`);
  if (args.nameRegex !== undefined) parts.push(`nameRegex /${args.nameRegex}/`);
  if (args.ids !== undefined) parts.push(`ids ${quoted(args.ids)}`);
  if (args.tags !== undefined) parts.push(`tags ${quoted(args.tags)}`);
  if (args.properties !== undefined) parts.push(`properties {${Object.entries(args.properties).map(([k, v]) => `${k}=${v}`).join(", ")}}`);
  for (const key of ["visibility", "memberStatus", "owner", "hidden", "protected", "status", "diskFormat", "containerFormat", "sizeMinBytes", "sizeMaxBytes"] as const) {
    const value = args[key];
    if (value !== undefined) parts.push(`${key} ${typeof value === "string" || Array.isArray(value) ? quoted(value as string | readonly string[]) : String(value)}`);
  }
  for (const key of ["createdAt", "updatedAt"] as const) {
    const value = args[key];
    if (value !== undefined) parts.push(`${key} ${value.since ?? "…"}..${value.until ?? "…"}`);
  }
  return parts.length === 0 ? "no filters (every image listed)" : parts.join(", ");
}

function statuses(status: string | readonly string[] | undefined): ImageState | readonly ImageState[] | undefined {
  if (status === undefined) return undefined;
  const list = typeof status === "string" ? [status] : status;
  for (const s of list) {
    if (!(IMAGE_STATES as readonly string[]).includes(s)) throw new InputError("status", `"${s}" is not an image status: use one of ${IMAGE_STATES.join(", ")}`);
  }
  return typeof status === "string" ? (status as ImageState) : (list as readonly ImageState[]);
}

function ownEntries(properties: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return Object.fromEntries(
    Object.keys(properties).map((key) => {
      const value = properties[key];
      if (typeof value !== "string") throw new InputError(`properties["${key}"]`, "a property value is a string: quote it");
      return [key, value];
    }),
  );
}

function bytes(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new InputError(name, `${String(value)} is not a number of bytes: use a whole number, 0 or more`);
  return value;
}

function positive(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new InputError("pageSize", `${String(value)} is not a page size: use a whole number, 1 or more`);
  return value;
}

function range(value: ImageTimeRangeArgs, name: string): TimeRange {
  for (const end of ["since", "until"] as const) {
    const at = value[end];
    if (at !== undefined && (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(at) || Number.isNaN(Date.parse(at)))) {
      throw new InputError(`${name}.${end}`, `"${at}" is not an ISO 8601 instant with a zone: use e.g. 2026-11-30T03:00:00Z`);
    }
  }
  return { ...(value.since === undefined ? {} : { since: value.since }), ...(value.until === undefined ? {} : { until: value.until }) };
}

function regex(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new InputError("nameRegex", `/${pattern}/ is not a regular expression (${(error as Error).message}): fix the pattern`);
  }
}
