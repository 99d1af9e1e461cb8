import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const root = resolve(__dirname, "../..");
const run = promisify(execFile);

/** Another throw-away noauth Glance (scripts/glance-local.sh), besides the one the suite runs against. */
export interface ExtraGlance {
  /** Its endpoint (GLANCE_URL of that instance). */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts another local noauth Glance on a free port (the suite's flavour, GLANCE_FLAVOR; `extraEnv` may add
 * e.g. GLANCE_V1_ONLY=1); `stop()` removes it.
 */
export async function startExtraGlance(extraEnv: Readonly<Record<string, string>> = {}): Promise<ExtraGlance> {
  const env: NodeJS.ProcessEnv = { ...process.env, GLANCE_AUTH: "noauth", GLANCE_REGIONS: "1", ...extraEnv };
  for (const k of ["GLANCE_PORT", "KEYSTONE_PORT", "GLANCE_LOCAL_STATE"]) delete env[k];
  const { stdout } = await run("bash", [join(root, "scripts/glance-local.sh"), "start"], { env, cwd: root });
  const vars = Object.fromEntries([...stdout.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1] ?? "", (m[2] ?? "").replace(/^'(.*)'$/, "$1")]));
  const url = vars["GLANCE_URL"];
  const state = vars["GLANCE_LOCAL_STATE"];
  if (url === undefined || state === undefined) throw new Error(`glance-local.sh start printed no GLANCE_URL/GLANCE_LOCAL_STATE: ${stdout}`);
  return { url, stop: async () => void (await run("bash", [join(root, "scripts/glance-local.sh"), "stop", state], { cwd: root })) };
}
