import type { ExampleRow, FieldSpec, ResultRow } from "./types";

/** The image object of the create example (L77-86) and the update example (L161-169): one line per field. */
function writtenImage(lines: Readonly<Record<string, number>>): FieldSpec[] {
  const at = (name: string): string => `L${lines[name] ?? 0}`;
  return [
    { name: "unique", type: "String", required: false, shown: ["string"], cite: at("unique"), assumes: ["uniqueType"] },
    { name: "status", type: "String", required: false, shown: ["string"], cite: at("status"), assumes: ["statusVocabulary", "createdStatus"], note: "ACTIVED" },
    { name: "created", type: "Integer", required: false, shown: ["number"], cite: at("created"), assumes: ["timestamps"] },
    { name: "updated", type: "Integer", required: false, shown: ["number"], cite: at("updated"), assumes: ["timestamps"] },
    { name: "name", type: "String", required: false, shown: ["string"], cite: at("name") },
    { name: "displayName", type: "String", required: false, shown: ["string"], cite: at("displayName"), note: "no input sets it" },
    { name: "minLimit", type: "Integer", required: false, shown: ["number"], cite: at("minLimit"), assumes: ["minLimitUnit"] },
    { name: "size", type: "Integer", required: false, shown: ["number"], cite: at("size") },
    { name: "minRam", type: "Integer", required: false, shown: ["number"], cite: at("minRam"), assumes: ["minLimitUnit"] },
    { name: "minDisk", type: "Integer", required: false, shown: ["number"], cite: at("minDisk") },
    { name: "description", type: "String", required: false, shown: ["string"], cite: at("description") },
    { name: "imageApplications", type: "Number[]", required: false, shown: ["array"], cite: at("imageApplications"), assumes: ["applications"] },
    { name: "containerFormat", type: "String", required: false, shown: ["string"], cite: at("containerFormat"), assumes: ["formatOutput"] },
    { name: "diskFormat", type: "String", required: false, shown: ["string"], cite: at("diskFormat"), assumes: ["formatOutput"] },
    { name: "links", type: "Object[]", required: false, shown: ["array"], cite: at("links") },
  ];
}

/**
 * The read/list field table (数据说明), whose rows start at `table` (unique) and come every 5 lines, plus
 * the fields only the example shows (`example`: line per field).
 */
function readImage(table: number, example: Readonly<Record<string, number>>): FieldSpec[] {
  const row = (i: number): string => `L${table + 5 * i}-${table + 5 * i + 3}`;
  const at = (name: string): string => `L${example[name] ?? 0}`;
  return [
    { name: "unique", type: "Integer", required: true, shown: ["string"], cite: row(0), assumes: ["uniqueType"], note: "a 24-hex string in the example" },
    { name: "name", type: "String", required: true, shown: ["string"], cite: row(1) },
    { name: "size", type: "Integer", required: true, shown: ["number"], cite: row(2) },
    { name: "isPublic", type: "Boolean", required: true, cite: row(3), assumes: ["visibilityFlags"], note: "in no example" },
    { name: "isProtected", type: "Boolean", required: true, cite: row(4), assumes: ["visibilityFlags"], note: "in no example" },
    { name: "minRam", type: "Integer", required: true, shown: ["number"], cite: row(5), note: "0 means no limit" },
    { name: "minDisk", type: "Integer", required: true, shown: ["number"], cite: row(6), note: "0 means no limit" },
    { name: "status", type: "String", required: true, shown: ["string"], cite: row(7), assumes: ["statusVocabulary"] },
    { name: "created", type: "Integer", required: true, shown: ["number"], cite: row(8), assumes: ["timestamps"] },
    { name: "updated", type: "Integer", required: true, shown: ["number"], cite: row(9), assumes: ["timestamps"] },
    { name: "description", type: "String", required: false, shown: ["string"], cite: at("description") },
    { name: "applicationNames", type: "String[]", required: false, shown: ["array"], cite: at("applicationNames"), assumes: ["applications"] },
    { name: "containerFormat", type: "String", required: false, shown: ["null"], cite: at("containerFormat"), assumes: ["formatOutput"] },
    { name: "diskFormat", type: "String", required: false, shown: ["null"], cite: at("diskFormat"), assumes: ["formatOutput"] },
    { name: "links", type: "Object[]", required: false, shown: ["array"], cite: at("links") },
  ];
}

export const RESULT_ROWS: readonly ResultRow[] = [
  {
    kind: "result", id: "create.result", op: "create", shape: "image", cite: "L69-89", note: "its 数据说明 (L91) is empty: fields from the example only",
    fields: writtenImage({ unique: 78, status: 79, created: 79, updated: 80, name: 80, displayName: 81, minLimit: 81, size: 82, minRam: 82, minDisk: 82, description: 83, imageApplications: 84, containerFormat: 85, diskFormat: 85, links: 86 }),
  },
  {
    kind: "result", id: "update.result", op: "update", shape: "image", cite: "L153-172", note: "its 数据说明 (L174) is empty: fields from the example only",
    fields: writtenImage({ unique: 162, status: 163, created: 163, updated: 163, name: 164, displayName: 164, minLimit: 165, size: 165, minRam: 166, minDisk: 166, description: 166, imageApplications: 167, containerFormat: 167, diskFormat: 168, links: 169 }),
  },
  {
    kind: "result", id: "read.result", op: "read", shape: "image", cite: "L206-289",
    fields: readImage(239, { description: 221, applicationNames: 222, containerFormat: 223, diskFormat: 223, links: 224 }),
  },
  {
    kind: "result", id: "list.result", op: "list", shape: "page", cite: "L352-452", assumes: ["paging"],
    fields: [
      { name: "total", type: "Integer", required: true, shown: ["number"], cite: "L397-400, L361" },
      { name: "hasPrevious", type: "Boolean", required: true, shown: ["boolean"], cite: "L387-390, L362" },
      { name: "hasNext", type: "Boolean", required: true, shown: ["boolean"], cite: "L392-395, L362" },
      { name: "entities", type: "Object[]", required: false, shown: ["array"], cite: "L363" },
      { name: "links", type: "Object[]", required: false, shown: ["array"], cite: "L373" },
    ],
    entityFields: readImage(402, { description: 369, applicationNames: 370, containerFormat: 371, diskFormat: 372, links: 372 }),
  },
  { kind: "result", id: "delete.result", op: "delete", shape: "none", cite: "L484-493", fields: [] },
];

/** The five 返回实例 (JSON examples), by line range inside their `<code>` blocks. */
export const EXAMPLE_ROWS: readonly ExampleRow[] = [
  { kind: "example", id: "create.example", op: "create", lines: [74, 88], cite: "L74-88" },
  { kind: "example", id: "update.example", op: "update", lines: [158, 171], cite: "L158-171" },
  { kind: "example", id: "read.example", op: "read", lines: [211, 226], cite: "L211-226" },
  { kind: "example", id: "list.example", op: "list", lines: [357, 374], cite: "L357-374" },
  { kind: "example", id: "delete.example", op: "delete", lines: [489, 492], cite: "L489-492" },
];
