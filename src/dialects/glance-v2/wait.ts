import { ImageStatusError, ImportFailedError, TimeoutError, isHttpStatus } from "../../errors";
import { polling } from "../../http/retry";
import type { GlanceClient } from "./client";
import type { GlanceImage, GlanceTask, ImageStatus } from "./types";

/** Statuses from which an image never reaches `active` by itself. */
const TERMINAL_FAILURES: readonly ImageStatus[] = ["killed", "deleted", "pending_delete"];

/** Options of {@link waitForImage}. */
export interface WaitOptions {
  /** Statuses that end the wait successfully. Default `["active"]`. */
  readonly target?: readonly ImageStatus[];
  /** Statuses that end it with an {@link ImageStatusError}. Default {@link TERMINAL_FAILURES} plus `deactivated`. */
  readonly failure?: readonly ImageStatus[];
  /**
   * Set when an import was started: while the image is `queued` (or `importing` with
   * `os_glance_failed_import` set) its import task is read, and a task in `failure` ends the wait with
   * an {@link ImportFailedError} carrying the task's message.
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
 * success: a failure status, or a failed import, ends the wait at once with the reason; the deadline
 * ends it with a {@link TimeoutError} carrying the last status.
 *
 * A failed import looks different per store layout and release, so it is read from the import task
 * (`GET /v2/images/{id}/tasks`) whenever the image is not progressing: multi-store Zed falls back to
 * `queued` with `os_glance_failed_import` set; single-store Zed falls back to `queued` with nothing set
 * (only the task says `failure`); Glance 33 may stay `importing` with `os_glance_failed_import` set and
 * `os_glance_import_task` still naming the failed task.
 */
export async function waitForImage(client: GlanceClient, id: string, options: WaitOptions): Promise<GlanceImage> {
  const target = options.target ?? ["active"];
  const failure = options.failure ?? [...TERMINAL_FAILURES, "deactivated"];
  const started = Date.now();
  const schedule = { firstMs: options.intervalMs ?? 250, factor: 1.5, maxMs: options.maxIntervalMs ?? 3_000 };
  return polling(
    async () => {
      const image = await client.images.get(id, options.signal);
      options.onPoll?.(image);
      if (target.includes(image.status)) return image;
      if (failure.includes(image.status)) throw new ImageStatusError(id, image.status, `it can no longer become ${target.join(" or ")}`);
      // `importing` is read too: single-store Zed leaves an image whose glance-direct import failed `importing`
      // with nothing set on it, and only the task says `failure`.
      if (options.importing === true && (image.status === "queued" || image.status === "importing")) {
        const reason = await importFailure(client, image, options.signal);
        if (reason !== undefined) throw new ImportFailedError(id, image.status, reason);
      }
      const elapsed = Date.now() - started;
      if (elapsed >= options.timeoutMs) {
        throw new TimeoutError(options.timeoutName ?? "timeout", elapsed, id, image.status, `waiting for ${target.join(" or ")}`);
      }
      return undefined;
    },
    schedule,
    { signal: options.signal, untilMs: options.timeoutMs },
  );
}

/**
 * True when Glance recorded a failed import for the image and no import is in flight. A new import of an
 * image whose last import failed starts out `queued` with the old `os_glance_failed_import` still set and
 * only `os_glance_import_task` telling it apart: that is not a failure (yet).
 */
function isFailedImport(image: GlanceImage): boolean {
  const task = image["os_glance_import_task"];
  return hasFailedStore(image) && (typeof task !== "string" || task === "");
}

/** True when `os_glance_failed_import` names a store (Glance 33 leaves it set on an image stuck `importing`, the task id too). */
function hasFailedStore(image: GlanceImage): boolean {
  const failed = image["os_glance_failed_import"];
  return typeof failed === "string" && failed !== "";
}

/**
 * Why the image's current import failed, or `undefined` while it has not (yet). The current import is the
 * task named by `os_glance_import_task` while one is in flight, else the newest task: a `failure` there is
 * the answer, as is `os_glance_failed_import` with no import in flight (reason: the newest failed task).
 */
async function importFailure(client: GlanceClient, image: GlanceImage, signal?: AbortSignal): Promise<string | undefined> {
  const tasks = await importTasks(client, image.id, signal);
  const inFlight = image["os_glance_import_task"];
  const byAge = [...tasks].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.updated_at.localeCompare(b.updated_at));
  const current = typeof inFlight === "string" && inFlight !== "" ? tasks.find((t) => t.id === inFlight) : byAge.at(-1);
  if (current?.status === "failure") return describeTask(current, image);
  if (!isFailedImport(image)) return undefined;
  const failed = byAge.filter((t) => t.status === "failure").at(-1);
  return failed === undefined ? `${storeNote(image)}Glance recorded no failed task` : describeTask(failed, image);
}

function describeTask(task: GlanceTask, image: GlanceImage): string {
  return `${storeNote(image)}task ${task.id}: ${task.message === "" ? "no message" : task.message}`;
}

function storeNote(image: GlanceImage): string {
  const store = image["os_glance_failed_import"];
  return typeof store === "string" && store !== "" ? `store ${store}, ` : "";
}

/** The image's tasks; none on a Glance without the tasks API (before 2.12 it answers 404). */
async function importTasks(client: GlanceClient, id: string, signal?: AbortSignal): Promise<GlanceTask[]> {
  try {
    return await client.imports.tasks(id, signal);
  } catch (error) {
    if (isHttpStatus(error, 404)) return [];
    throw error;
  }
}
