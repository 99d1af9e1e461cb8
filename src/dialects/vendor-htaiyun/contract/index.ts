import { GlanceError } from "../../../errors";
import { ASSUMPTIONS, defaultProfile, type Profile } from "./assumptions";
import { BASE_ROW, ENVELOPE_ROWS, HEADER_ROWS, ROUTE_ROWS } from "./rows-common";
import { INPUT_ROWS } from "./rows-inputs";
import { EXAMPLE_ROWS, RESULT_ROWS } from "./rows-results";
import type { ContractRow, InputRow, OperationName, ResultRow, RouteRow } from "./types";

export { ASSUMPTIONS, defaultProfile, type Profile };
export { BASE_ROW, ENVELOPE_ROWS, HEADER_ROWS, ROUTE_ROWS, INPUT_ROWS, RESULT_ROWS, EXAMPLE_ROWS };
export type * from "./types";

/** The seed the contract transcribes: `seed-004.txt` next to this file, and its SHA-256 when it was written. */
export const SEED = {
  file: "seed-004.txt",
  origin: "seed 004_cf8912acab50ac7f (= hanbr/my api-reference/openstack/images.md, commit 398e62f6)",
  sha256: "d4b9c4be18dd0c0bda741f641d84a393ef141be6c8794d6add31ae2baa6bd8f5",
  lines: 493,
} as const;

/** Every row of the contract, in the seed's order per kind. */
export const CONTRACT_ROWS: readonly ContractRow[] = [BASE_ROW, ...ENVELOPE_ROWS, ...ROUTE_ROWS, ...HEADER_ROWS, ...INPUT_ROWS, ...RESULT_ROWS, ...EXAMPLE_ROWS];

export const OPERATIONS: readonly OperationName[] = ["create", "update", "read", "list", "delete"];

export function routeOf(op: OperationName): RouteRow {
  const row = ROUTE_ROWS.find((r) => r.op === op);
  if (row === undefined) throw new GlanceError(`no route for ${op}`);
  return row;
}

export function inputsOf(op: OperationName): readonly InputRow[] {
  return INPUT_ROWS.filter((r) => r.op === op);
}

export function resultOf(op: OperationName): ResultRow {
  const row = RESULT_ROWS.find((r) => r.op === op);
  if (row === undefined) throw new GlanceError(`no result for ${op}`);
  return row;
}

export function headerNames(op: OperationName): readonly string[] {
  return HEADER_ROWS.filter((r) => r.op === op).map((r) => r.name);
}
