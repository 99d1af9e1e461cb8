import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type * as Yaml from "yaml";
import { AuthError } from "../errors";
import { registerSecret } from "../redact";
import { FIELD_NAMES, FIELD_SOURCES, SECRET_FIELDS, type Fields, type Origins } from "./fields";

/** Where to look for clouds.yaml and secure.yaml. */
export interface CloudsLocation {
  readonly env: NodeJS.ProcessEnv;
  /** The working directory (`./clouds.yaml`). */
  readonly cwd: string;
  /** The home directory, for `~/.config/openstack` when `XDG_CONFIG_HOME` is unset. */
  readonly homeDir?: string;
}

const NAMES = { clouds: ["clouds.yaml", "clouds.yml", "clouds.json"], secure: ["secure.yaml", "secure.yml", "secure.json"] } as const;

/**
 * The candidate files, in the openstacksdk order: the file named by `OS_CLIENT_CONFIG_FILE`
 * (`OS_CLIENT_SECURE_FILE` for secure.yaml), then the working directory, then
 * `$XDG_CONFIG_HOME/openstack` (default `~/.config/openstack`), then `/etc/openstack`.
 */
export function candidateFiles(kind: "clouds" | "secure", where: CloudsLocation): string[] {
  const explicit = where.env[kind === "clouds" ? "OS_CLIENT_CONFIG_FILE" : "OS_CLIENT_SECURE_FILE"];
  const xdg = where.env["XDG_CONFIG_HOME"];
  const userDir = join(xdg !== undefined && xdg !== "" ? xdg : join(where.homeDir ?? homedir(), ".config"), "openstack");
  const dirs = [where.cwd, userDir, "/etc/openstack"];
  return [...(explicit !== undefined && explicit !== "" ? [explicit] : []), ...dirs.flatMap((d) => NAMES[kind].map((n) => join(d, n)))];
}

/** A cloud entry read from clouds.yaml (merged with secure.yaml) as flat settings. */
export interface LoadedCloud {
  readonly fields: Fields;
  readonly origins: Origins;
  /** The clouds.yaml the entry came from. */
  readonly file: string;
}

/** Loads the entry `cloud` of the first clouds.yaml found, with the same entry of the first secure.yaml found over it. */
export function loadCloud(cloud: string, where: CloudsLocation, selectedBy = "glance:cloud or OS_CLOUD"): LoadedCloud {
  const candidates = candidateFiles("clouds", where);
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) {
    throw new AuthError(`cloud "${cloud}" is selected (${selectedBy}) but no clouds.yaml was found; looked in: ${candidates.join(", ")}`);
  }
  const clouds = cloudsOf(file);
  const entry = clouds[cloud];
  if (!isRecord(entry)) {
    const names = Object.keys(clouds);
    throw new AuthError(`cloud "${cloud}" (${selectedBy}) is not in ${file}; it has: ${names.length === 0 ? "no clouds" : names.join(", ")}`);
  }
  const secureFile = candidateFiles("secure", where).find((f) => existsSync(f));
  const secure = secureFile === undefined ? undefined : cloudsOf(secureFile)[cloud];
  const merged = isRecord(secure) ? deepMerge(entry, secure) : entry;
  return { ...flatten(merged, `clouds.yaml cloud "${cloud}"`), file };
}

/** The `clouds:` mapping of a clouds.yaml or secure.yaml. */
function cloudsOf(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new AuthError(`cannot read ${file}: ${(error as { code?: string }).code ?? String(error)}`, { cause: error });
  }
  let doc: unknown;
  try {
    // Loaded on first use: most stacks name no cloud, and the parser is the largest module we could load.
    const { parse } = require("yaml") as typeof Yaml;
    doc = parse(text);
  } catch (error) {
    // Not the parser's message: it quotes the offending line, which may hold a password.
    const e = error as { code?: unknown; linePos?: ReadonlyArray<{ line: number; col: number }> };
    const at = e.linePos?.[0] === undefined ? "" : ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}`;
    throw new AuthError(`${file} is not valid YAML (${typeof e.code === "string" ? e.code : "parse error"}${at})`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc) || (doc["clouds"] !== undefined && !isRecord(doc["clouds"]))) {
    throw new AuthError(`${file} is not a clouds.yaml: expected a top-level "clouds:" mapping of cloud names`);
  }
  return (doc["clouds"] as Record<string, unknown> | undefined) ?? {};
}

/** Reads the entry's keys into settings; `verify: false` means insecure, `regions` gives the first region. */
function flatten(entry: Record<string, unknown>, label: string): { fields: Fields; origins: Origins } {
  const fields: Fields = {};
  const origins: Origins = {};
  for (const field of FIELD_NAMES) {
    for (const key of FIELD_SOURCES[field].clouds) {
      const value = scalar(lookup(entry, key));
      if (value === undefined) continue;
      fields[field] = value;
      origins[field] = `${label} ${key}`;
      break;
    }
  }
  if (fields.insecure === undefined && entry["verify"] !== undefined) {
    const verify = scalar(entry["verify"]) ?? "";
    fields.insecure = /^(false|no|0)$/i.test(verify) ? "true" : "false";
    origins.insecure = `${label} verify`;
    // `verify` may also hold a CA bundle path, as in requests
    if (fields.cacert === undefined && !/^(true|false|yes|no|0|1)$/i.test(verify)) {
      fields.cacert = verify;
      origins.cacert = `${label} verify`;
    }
  }
  const regions = entry["regions"];
  if (fields.region === undefined && Array.isArray(regions) && regions.length > 0) {
    const first: unknown = regions[0];
    const region = isRecord(first) ? scalar(first["name"]) : scalar(first);
    if (region !== undefined) {
      fields.region = region;
      origins.region = `${label} regions`;
    }
  }
  for (const field of SECRET_FIELDS) registerSecret(fields[field]);
  return { fields, origins };
}

function lookup(entry: Record<string, unknown>, key: string): unknown {
  const [head, tail] = key.split(".", 2) as [string, string | undefined];
  if (tail === undefined) return entry[head];
  const block = entry[head];
  return isRecord(block) ? block[tail] : undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
