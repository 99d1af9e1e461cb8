// Re-renders bench/RESULTS.md from bench/RESULTS.json (e.g. after editing bench/analysis-notes.md):
//   node bench/render.mjs [RESULTS.json]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { writeResults } from "./results-markdown.mjs";

const json = process.argv[2] ?? fileURLToPath(new URL("./RESULTS.json", import.meta.url));
writeFileSync(json.replace(/\.json$/, ".md"), writeResults(JSON.parse(readFileSync(json, "utf8"))));
