// Random test files, generated once per bench run into the bench temp dir (deleted by scripts/bench.sh).
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { runTimed } from "./spawn-timed.mjs";

/** Writes `bytes` of /dev/urandom to DIR/NAME (unless already there with that size); resolves with the path. */
export async function randomFile(dir, name, bytes) {
  const path = join(dir, name);
  if (existsSync(path) && statSync(path).size === bytes) return path;
  await runTimed("bash", ["-c", 'head -c "$1" /dev/urandom > "$2"', "bash", String(bytes), path]);
  return path;
}
