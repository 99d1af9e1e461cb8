import { ImportFailedError, TimeoutError, isHttpStatus } from "../../errors";
import { polling } from "../../http/retry";
import type { GlanceClient } from "./client";
import type { GlanceTask } from "./types";

/** Options of {@link copyToStores}. */
export interface CopyToStores {
  /** `all_stores_must_succeed`: Glance stops at the first store that fails (default `true`). */
  readonly allMustSucceed: boolean;
  readonly timeoutMs: number;
  readonly timeoutName: string;
  readonly signal?: AbortSignal;
}

/**
 * Copies an active image's data onto more stores with the `copy-image` import and waits until Glance
 * is done with them: `os_glance_importing_to_stores` no longer names any of them. A store the image does
 * not list then failed: an {@link ImportFailedError} names each (with `os_glance_failed_import` and the
 * newest failed task's message). The image stays active and keeps its other stores throughout.
 */
export async function copyToStores(client: GlanceClient, id: string, stores: readonly string[], options: CopyToStores): Promise<void> {
  if (stores.length === 0) return;
  // Glance marks the stores pending from its background task, not in the answer to the POST: the copy is
  // over when every store holds the image and the task this import started ended, when that task failed, or
  // when it succeeded and no store is pending any more.
  const before = new Set((await tasksOf(client, id, options.signal)).map((t) => t.id));
  await client.imports.start(id, { method: { name: "copy-image" }, stores: [...stores], all_stores_must_succeed: options.allMustSucceed }, options.signal);
  const started = Date.now();
  const { image, task } = await polling(
    async () => {
      const got = await client.images.get(id, options.signal);
      const ours = (await tasksOf(client, id, options.signal)).filter((t) => !before.has(t.id)).sort((a, b) => a.created_at.localeCompare(b.created_at)).at(-1);
      // Every store holds the data: done once the task has ended too (the task outlives the last store by a moment,
      // and while it runs Glance refuses the image's next import with 409 "Image has active task").
      const ended = ours === undefined || ours.status === "success" || ours.status === "failure";
      if (stores.every((s) => listOf(got.stores).includes(s)) && ended) return { image: got, task: undefined };
      const pending = listOf(got["os_glance_importing_to_stores"]).filter((s) => stores.includes(s));
      // A failed task ends the copy even with stores still pending: with all_stores_must_succeed Glance stops at the
      // first failed store and leaves the stores it never reached in os_glance_importing_to_stores for good (Zed).
      if (ours !== undefined && (ours.status === "failure" || (ours.status === "success" && pending.length === 0))) {
        return { image: await client.images.get(id, options.signal), task: ours };
      }
      const elapsed = Date.now() - started;
      if (elapsed >= options.timeoutMs) throw new TimeoutError(options.timeoutName, elapsed, id, got.status, `copying to store${stores.length === 1 ? "" : "s"} ${stores.join(", ")}`);
      return undefined;
    },
    { firstMs: 250, factor: 1.5, maxMs: 3_000 },
    { signal: options.signal, untilMs: options.timeoutMs },
  );
  const held = listOf(image.stores);
  const missing = stores.filter((s) => !held.includes(s));
  if (missing.length === 0) return;
  const failedStores = listOf(image["os_glance_failed_import"]);
  const perStore = missing.map((s) => `${s}: ${failedStores.includes(s) ? "failed" : options.allMustSucceed ? "not copied (another store failed first)" : "not copied"}`);
  const said = task === undefined ? "Glance recorded no task" : `task ${task.id} ${task.status}: ${task.message === "" ? "no message" : task.message}`;
  throw new ImportFailedError(
    id,
    image.status,
    `${perStore.join("; ")}; ${said}`,
    `copy-image onto store${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`,
    "check the stores' space and configuration in Glance, then run pulumi up again (the image and its other stores are intact)",
  );
}

/** The image's tasks (none on a Glance without the tasks API: it answers 404). */
async function tasksOf(client: GlanceClient, id: string, signal?: AbortSignal): Promise<GlanceTask[]> {
  try {
    return await client.imports.tasks(id, signal);
  } catch (error) {
    if (isHttpStatus(error, 404)) return [];
    throw error;
  }
}

function listOf(value: unknown): string[] {
  return typeof value === "string" && value !== "" ? value.split(",") : [];
}
