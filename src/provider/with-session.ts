import { openSession, type GlanceSession } from "./session";
import { isUnknown } from "./unknown";

/**
 * Runs `work` with a session for the inputs' region and cloud (a clouds.yaml entry's name; its secrets are
 * read now, never stored), or at `endpoint` (where an existing image lives) when given.
 */
export async function withSession<T>(inputs: { region?: unknown; cloud?: unknown }, work: (session: GlanceSession) => Promise<T>, endpoint?: string): Promise<T> {
  const known = (value: unknown): string | undefined => (typeof value === "string" && value !== "" && !isUnknown(value) ? value : undefined);
  const region = known(inputs.region);
  const cloud = known(inputs.cloud);
  const session = await openSession(region, { ...(endpoint === undefined ? {} : { endpoint }), ...(cloud === undefined ? {} : { cloud }) });
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
