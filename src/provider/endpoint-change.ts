import { isNotFound } from "../errors";
import type { GlanceSession } from "./session";

/** What a change of the image endpoint means for an image that lives at the old one. */
export interface EndpointVerdict {
  /** The image is not at the new endpoint: it must be created there and deleted where it lives. */
  readonly replace: boolean;
  /** The same image is reachable at the new endpoint (another URL of the same Glance): record it. */
  readonly record: boolean;
  /** The sentence that explains it, when the endpoint changed. */
  readonly reason?: string;
}

/** The endpoint did not change. */
export const SAME_ENDPOINT: EndpointVerdict = { replace: false, record: false };

/**
 * Compares the endpoint an image lives at (from state) with the one the current settings and region
 * resolve to (`session`). When they differ, the image is looked up at the new endpoint: found there with
 * the same creation time, it is the same image behind another URL (another interface, an alias) and only
 * the endpoint is recorded; otherwise the image moves, which is a replacement.
 */
export async function compareEndpoint(session: GlanceSession, id: string, olds: { endpoint?: string; createdAt?: string }): Promise<EndpointVerdict> {
  const from = olds.endpoint;
  const to = session.endpoint;
  if (from === undefined || from === to) return SAME_ENDPOINT;
  try {
    const there = await session.dialect.get(id);
    if (there.createdAt === olds.createdAt) {
      return { replace: false, record: true, reason: `the image endpoint changed from ${from} to ${to}, where the same image is found: only the new endpoint is recorded` };
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  return { replace: true, record: false, reason: `the image endpoint changed from ${from} to ${to}: the image will be created at ${to} and deleted at ${from}` };
}
