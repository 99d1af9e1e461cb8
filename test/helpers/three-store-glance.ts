/**
 * A multi-store Glance of a suite's own with a third file store, `spare`, beside `local` and `backup`: the shared
 * Glance has two stores, so a copy onto two stores at once (one failing, one not) needs a third. Started by
 * scripts/glance-local.sh like any own Glance, then killed, given the store in its config, and started again.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { killGlance, restartGlance, startOwnGlance, waitHealthy, type OwnGlance } from "./own-glance";

export const SPARE_STORE = "spare";

export async function startThreeStoreGlance(): Promise<OwnGlance> {
  const own = await startOwnGlance();
  await killGlance(own);
  const conf = join(own.dir, "glance-api.conf");
  const text = readFileSync(conf, "utf8");
  const backends = "enabled_backends = local:file,backup:file";
  if (!text.includes(backends)) throw new Error(`${conf} has no "${backends}": not a multi-store Glance`);
  writeFileSync(conf, text.replace(backends, `${backends},${SPARE_STORE}:file`));
  const dir = join(own.dir, "stores", SPARE_STORE);
  mkdirSync(dir, { recursive: true });
  appendFileSync(conf, `\n[${SPARE_STORE}]\nfilesystem_store_datadir = ${dir}\n`);
  restartGlance(own);
  await waitHealthy(own.url);
  return own;
}
