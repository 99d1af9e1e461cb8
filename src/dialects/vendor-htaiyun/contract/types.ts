/**
 * The shape of the vendor image API's contract: a transcription of seed 004 (`seed-004.txt`, next to this
 * file), where every row cites the seed's lines (`L25-29`) and every point the seed leaves open names an
 * {@link Assumption}. Nothing here was observed on a real server: none was available.
 */

export type OperationName = "create" | "update" | "read" | "list" | "delete";

/** A type as the seed writes it in its tables (`Enum,Restricted` as written), or as its examples show it. */
export type SeedType = "String" | "Enum" | "Enum,Restricted" | "String[]" | "Long" | "Integer" | "Boolean" | "Number[]" | "Object[]" | "Object";

/** What every row carries: where the seed says it, and what is assumed where it does not. */
export interface Basis {
  /** Lines of the seed (`L25-29`, `L5, L95`), when the seed states it. */
  readonly cite?: string;
  /** Assumptions this row relies on where the seed is silent, ambiguous or contradicts itself. */
  readonly assumes?: readonly AssumptionName[];
  readonly note?: string;
}

/** The documented base URL and path prefix of every operation. */
export interface BaseRow extends Basis {
  readonly kind: "base";
  readonly id: string;
  readonly op: "all";
  readonly baseUrl: string;
  readonly prefix: string;
}

/** An operation's method and path (`{imageId}` for the seed's `<imageid>`). */
export interface RouteRow extends Basis {
  readonly kind: "route";
  readonly id: string;
  readonly op: OperationName;
  readonly method: "GET" | "POST";
  readonly path: string;
}

/** A "Special Request Header" of one operation. */
export interface HeaderRow extends Basis {
  readonly kind: "header";
  readonly id: string;
  readonly op: OperationName;
  readonly name: string;
  /** The seed's description, translated. */
  readonly meaning: string;
}

/** One row of an operation's 输入参数 (input) table. */
export interface InputRow extends Basis {
  readonly kind: "input";
  readonly id: string;
  readonly op: OperationName;
  readonly name: string;
  readonly type: SeedType;
  readonly required: boolean;
  /** The documented default (`<Empty>` is none). */
  readonly default?: string | number | boolean;
  /** The documented values of an enumeration, as written. */
  readonly values?: readonly string[];
  readonly meaning: string;
  /** A valid value, from the seed's own examples where it has one (the conformance suite sends it). */
  readonly sample: string | number | boolean | readonly string[];
}

/** One field of a result object: from the field table (数据说明) when there is one, else from the example. */
export interface FieldSpec extends Basis {
  readonly name: string;
  readonly type: SeedType;
  /** Stated as required in a field table; `false` where only an example shows the field. */
  readonly required: boolean;
  /** The JSON type(s) the seed's example shows (`null` included where the example has it). */
  readonly shown?: readonly ("string" | "number" | "boolean" | "array" | "object" | "null")[];
}

/** What an operation answers inside the envelope. */
export interface ResultRow extends Basis {
  readonly kind: "result";
  readonly id: string;
  readonly op: OperationName;
  /** `image`: `result` is one image; `page`: `result` is `{total, hasPrevious, hasNext, entities, links}`; `none`: no `result`. */
  readonly shape: "image" | "page" | "none";
  readonly fields: readonly FieldSpec[];
  /** For `page`: the fields of each entity. */
  readonly entityFields?: readonly FieldSpec[];
}

/** A JSON example (返回实例) of the seed, by its line range: the conformance suite parses it from the seed. */
export interface ExampleRow extends Basis {
  readonly kind: "example";
  readonly id: string;
  readonly op: OperationName;
  /** First and last line of the JSON (inside `<code>`). */
  readonly lines: readonly [number, number];
}

/** The envelope and value conventions common to every answer. */
export interface EnvelopeRow extends Basis {
  readonly kind: "envelope";
  readonly id: string;
  readonly op: "all";
  readonly fields: readonly FieldSpec[];
}

export type ContractRow = BaseRow | RouteRow | HeaderRow | InputRow | ResultRow | ExampleRow | EnvelopeRow;

/**
 * A point the seed leaves open, with the readings considered. `emulator` is the reading the emulator
 * follows unless a test switches it; `client` lists the readings the dialect is tested under (it must work
 * under each); a reading not listed there is one the dialect does not claim to support.
 */
export interface Assumption {
  readonly title: string;
  /** Where the question arises in the seed. */
  readonly cite: string;
  readonly question: string;
  /** Evidence from outside the seed (its sibling documents in hanbr/my, the ObjectId clue), when any. */
  readonly evidence?: string;
  readonly alternatives: Readonly<Record<string, string>>;
  readonly emulator: string;
  readonly client: readonly string[];
}

export type AssumptionName = keyof typeof import("./assumptions").ASSUMPTIONS;
