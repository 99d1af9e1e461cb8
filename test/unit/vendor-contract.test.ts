import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ASSUMPTIONS, CONTRACT_ROWS, SEED, type Basis, type ContractRow } from "../../src/dialects/vendor-htaiyun/contract";

// The contract of the vendor image API (issue #14) is a transcription of seed 004: these tests hold it to
// the seed's bytes and lines, not to any server (none was available).
const seedPath = join(__dirname, "../../src/dialects/vendor-htaiyun/contract", SEED.file);
const seed = readFileSync(seedPath);
const lines = seed.toString("utf8").split("\n");

/** The lines a citation names (`L25-29`, `L5, L95`, `L397-400, L361`), 1-based. */
function citedLines(cite: string): number[] {
  const out: number[] = [];
  for (const part of cite.split(",")) {
    const m = /^\s*L(\d+)(?:-(\d+))?\s*$/.exec(part);
    expect(m, `citation "${cite}" is L<n> or L<n>-<m>, comma-separated`).not.toBeNull();
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    expect(from >= 1 && to >= from && to <= SEED.lines, `citation "${cite}" lies inside the seed's ${SEED.lines} lines`).toBe(true);
    for (let n = from; n <= to; n += 1) out.push(n);
  }
  return out;
}

function text(cite: string): string {
  return citedLines(cite).map((n) => lines[n - 1] ?? "").join("\n");
}

/** Every basis in a row: the row itself and each of its fields. */
function bases(row: ContractRow): { what: string; basis: Basis; name?: string }[] {
  const out: { what: string; basis: Basis; name?: string }[] = [{ what: row.id, basis: row }];
  if ("fields" in row) for (const f of row.fields) out.push({ what: `${row.id}.${f.name}`, basis: f, name: f.name });
  if (row.kind === "result") for (const f of row.entityFields ?? []) out.push({ what: `${row.id}.entities.${f.name}`, basis: f, name: f.name });
  return out;
}

describe("vendor contract (seed 004)", () => {
  it("is written from the seed it pins: the project's copy has the recorded SHA-256 and line count", () => {
    expect(createHash("sha256").update(seed).digest("hex")).toBe(SEED.sha256);
    expect(lines.length - 1).toBe(SEED.lines);
  });

  it("row ids are unique", () => {
    const ids = CONTRACT_ROWS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("every row and every field cites the seed or names an assumption, and every named assumption exists", () => {
    let checked = 0;
    for (const row of CONTRACT_ROWS) {
      for (const { what, basis } of bases(row)) {
        expect(basis.cite !== undefined || (basis.assumes?.length ?? 0) > 0, `${what} has a citation or an assumption`).toBe(true);
        for (const name of basis.assumes ?? []) expect(Object.hasOwn(ASSUMPTIONS, name), `${what}: assumption ${name} is defined`).toBe(true);
        if (basis.cite !== undefined) citedLines(basis.cite);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("each citation points at lines that say what the row transcribes", () => {
    for (const row of CONTRACT_ROWS) {
      const cited = text(row.cite ?? "");
      if (row.kind === "route") {
        const last = row.path.split("/").at(-1) ?? "";
        expect(cited, `${row.id}: ${row.cite} shows the path`).toContain(`/${last}`);
        expect(cited, `${row.id}: ${row.cite} shows the method`).toContain(`>${row.method}<`);
      }
      if (row.kind === "header") expect(cited, `${row.id}: ${row.cite}`).toContain(`>${row.name}<`);
      if (row.kind === "input") {
        expect(cited, `${row.id}: ${row.cite} names the input`).toContain(`>${row.name}<`);
        expect(cited, `${row.id}: ${row.cite} gives the type`).toContain(`>${row.type}<`);
        expect(cited.toLowerCase(), `${row.id}: ${row.cite} says required or not`).toContain(row.required ? ">yes<" : ">no<");
        if (row.default !== undefined) expect(cited, `${row.id}: ${row.cite} gives the default`).toContain(`>${String(row.default)}<`);
        for (const value of row.values ?? []) expect(cited, `${row.id}: ${row.cite} lists ${value}`).toContain(value);
      }
      if (row.kind === "base") for (const n of citedLines(row.cite ?? "")) expect(lines[n - 1]).toContain(`${row.baseUrl}${row.prefix}/`);
      for (const { what, basis, name } of bases(row)) {
        if (name === undefined || basis.cite === undefined) continue;
        const where = text(basis.cite);
        expect(where.includes(`"${name}"`) || where.includes(`>${name}<`), `${what}: ${basis.cite} mentions ${name}`).toBe(true);
      }
    }
  });

  it("each example row is a whole JSON document in the seed, with the documented success envelope", () => {
    for (const row of CONTRACT_ROWS) {
      if (row.kind !== "example") continue;
      const [from, to] = row.lines;
      expect(lines[from - 2], `${row.id}: opened by <code>`).toBe("<code>");
      expect(lines[to], `${row.id}: closed by </code>`).toBe("</code>");
      const body = JSON.parse(lines.slice(from - 1, to).join("\n")) as Record<string, unknown>;
      expect(body, row.id).toMatchObject({ status: 200, message: "OK", links: [] });
      expect(Object.hasOwn(body, "result"), `${row.id}: result present unless delete`).toBe(row.op !== "delete");
    }
  });

  it("every assumption cites where it arises, offers alternatives, and the emulator's and client's readings are among them", () => {
    for (const [name, a] of Object.entries(ASSUMPTIONS)) {
      citedLines(a.cite);
      const alternatives = Object.keys(a.alternatives);
      expect(alternatives.length, name).toBeGreaterThan(0);
      expect(alternatives, `${name}: emulator reading`).toContain(a.emulator);
      for (const c of a.client) expect(alternatives, `${name}: client reading ${c}`).toContain(c);
    }
  });

  it("every assumption is relied on by some row", () => {
    const used = new Set<string>(CONTRACT_ROWS.flatMap((row) => bases(row).flatMap(({ basis }) => basis.assumes ?? [])));
    expect(Object.keys(ASSUMPTIONS).filter((name) => !used.has(name))).toEqual([]);
  });
});
