import { RECORD_ONLY, REPLACE_ON_CHANGE, UPDATE_IN_PLACE } from "./diff";
import type { ImageOutputs } from "./inputs";

const INPUT_KEYS = [...REPLACE_ON_CHANGE, ...UPDATE_IN_PLACE, ...RECORD_ONLY, "source"] as const;

/**
 * The inputs a refresh records in state, from the refreshed outputs: every declared input Glance holds
 * as Glance holds it now, the others (`source`, `importMethod`, `imageId`, `region`, …) as they were.
 * The engine applies `ignoreChanges` by copying these into the next `up`'s inputs, so an ignored
 * input that drifted out of band keeps Glance's value instead of being reverted.
 *
 * `source` is the stored one: without `headers` and `password`, which are never in the outputs. So after
 * a refresh, `ignoreChanges: ["source"]` carries no credentials into a later create.
 */
export function refreshedInputs(outs: ImageOutputs): Record<string, unknown> {
  const record = outs as unknown as Record<string, unknown>;
  const inputs: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) if (record[key] !== undefined) inputs[key] = record[key];
  return inputs;
}
