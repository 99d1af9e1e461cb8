import { ImageStatusError, TimeoutError } from "../errors";
import { sleep } from "../http/retry";
import type { GlanceClient } from "./client";
import type { GlanceImage, ImageStatus } from "./types";

/** Statuses from which an image never reaches `active` by itself. */
export const TERMINAL_FAILURES: readonly ImageStatus[] = ["killed", "deleted", "pending_delete"];

/** Options of {@link waitForImage}. */
export interface WaitOptions {
  /** Statuses that end the wait successfully. Default `["active"]`. */
  readonly target?: readonly ImageStatus[];
  /** Statuses that end it with an {@link ImageStatusError}. Default {@link TERMINAL_FAILURES} plus `deactivated`. */
  readonly failure?: readonly ImageStatus[];
  /**
   * Set when an import was started: an image that falls back to `queued` with `os_glance_failed_import`
   * set has failed, and the reason is read from its tasks.
   */
  readonly importing?: boolean;
  /** Deadline in milliseconds from now. */
  readonly timeoutMs: number;
  /** Name of the timeout in errors (the input that sets it). Default `timeout`. */
  readonly timeoutName?: string;
  /** First poll interval; grows by half each poll up to `maxIntervalMs`. Default 250 ms. */
  readonly intervalMs?: number;
  /** Default 3 000 ms. */
  readonly maxIntervalMs?: number;
  readonly signal?: AbortSignal;
  /** Called with every image read, e.g. to report progress. */
  readonly onPoll?: (image: GlanceImage) => void;
}

/**
 * Polls `GET /v2/images/{id}` until the image reaches a target status. Knows failure as well as
 * success: a failure status, or a failed import (back to `queued` with `os_glance_failed_import`),
 * ends the wait at once with the reason; the deadline ends it with a {@link TimeoutError} carrying
 * the last status.
 */
export async function waitForImage(client: GlanceClient, id: string, options: WaitOptions): Promise<GlanceImage> {
  const target = options.target ?? ["active"];
  const failure = options.failure ?? [...TERMINAL_FAILURES, "deactivated"];
  const started = Date.now();
  let interval = options.intervalMs ?? 250;
  let lastStatus: string | undefined;
  for (;;) {
    const image = await client.images.get(id, options.signal);
    lastStatus = image.status;
    options.onPoll?.(image);
    if (target.includes(image.status)) return image;
    if (failure.includes(image.status)) throw new ImageStatusError(id, image.status, `it can no longer become ${target.join(" or ")}`);
    if (options.importing === true && image.status === "queued" && isFailedImport(image)) {
      throw new ImageStatusError(id, image.status, `import failed in store ${String(image["os_glance_failed_import"])}: ${await importFailureReason(client, id)}`);
    }
    const elapsed = Date.now() - started;
    if (elapsed >= options.timeoutMs) {
      throw new TimeoutError(options.timeoutName ?? "timeout", elapsed, id, lastStatus, `waiting for ${target.join(" or ")}`);
    }
    await sleep(Math.min(interval, options.timeoutMs - elapsed), options.signal);
    interval = Math.min(Math.round(interval * 1.5), options.maxIntervalMs ?? 3_000);
  }
}

/**
 * True when Glance recorded a failed import for the image and no import is in flight. A new import of an
 * image whose last import failed starts out `queued` with the old `os_glance_failed_import` still set and
 * only `os_glance_import_task` telling it apart: that is not a failure (yet).
 */
export function isFailedImport(image: GlanceImage): boolean {
  const failed = image["os_glance_failed_import"];
  const task = image["os_glance_import_task"];
  return typeof failed === "string" && failed !== "" && (typeof task !== "string" || task === "");
}

/** The message of the image's newest failed task, or a generic sentence when there is none. */
export async function importFailureReason(client: GlanceClient, id: string): Promise<string> {
  const tasks = await client.imports.tasks(id);
  const failed = tasks.filter((task) => task.status === "failure").sort((a, b) => a.updated_at.localeCompare(b.updated_at));
  const newest = failed[failed.length - 1];
  return newest === undefined ? "Glance recorded no failed task" : `task ${newest.id}: ${newest.message}`;
}
