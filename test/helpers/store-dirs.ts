import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The directory of one of the local Glance's file stores (`local`, `backup`, `staging`), under its state dir
 * (`state`: another Glance's, e.g. an own Glance of a suite; default the suite's GLANCE_LOCAL_STATE).
 */
export function storeDir(name: string, state = process.env["GLANCE_LOCAL_STATE"]): string {
  if (state === undefined) throw new Error("GLANCE_LOCAL_STATE is not set: run under scripts/glance-local.sh");
  const candidates = [state, ...readdirSync(state).map((d) => join(state, d))].map((d) => join(d, "stores", name));
  const found = candidates.find((d) => existsSync(d));
  if (found === undefined) throw new Error(`no stores/${name} under ${state}`);
  return found;
}

/**
 * Makes a file store unwritable for Glance until the returned function restores it: its directory is
 * replaced by a plain file (the tests run as root, who ignores permission bits), so every write fails
 * the way a full or broken store does.
 */
export function breakStore(name: string, state?: string): () => void {
  const dir = storeDir(name, state);
  renameSync(dir, `${dir}.away`);
  writeFileSync(dir, "not a directory");
  return () => {
    rmSync(dir, { force: true });
    renameSync(`${dir}.away`, dir);
  };
}
