// Third count of "bytes read from the source": run the child under `strace -f -y` and sum the results
// of read/pread64/readv/preadv per file path (threads included; `-y` names the path behind each fd).
import { readFileSync } from "node:fs";

export const STRACE_ARGS = (out) => ["-f", "-y", "-qq", "-s", "0", "-e", "trace=read,pread64,readv,preadv", "-o", out];

const CALL = /^(\d+)\s+(?:read|pread64|readv|preadv)\(\d+<([^>]*)>,/;
const RESUMED = /^(\d+)\s+<\.\.\. (?:read|pread64|readv|preadv) resumed>/;
const RESULT = /\)\s+=\s+(-?\d+)/;

/** Bytes read per path from an strace output file. */
export function straceReadsByPath(file) {
  const pending = new Map();
  const bytes = new Map();
  const add = (path, line) => {
    const m = RESULT.exec(line);
    if (path !== undefined && m && Number(m[1]) > 0) bytes.set(path, (bytes.get(path) ?? 0) + Number(m[1]));
  };
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const call = CALL.exec(line);
    if (call) {
      if (line.includes("<unfinished ...>")) pending.set(call[1], call[2]);
      else add(call[2], line);
      continue;
    }
    const resumed = RESUMED.exec(line);
    if (resumed) {
      add(pending.get(resumed[1]), line);
      pending.delete(resumed[1]);
    }
  }
  return bytes;
}

/** Sum over paths starting with `dir`, plus everything else grouped by kind (socket, eventfd, pipe, file). */
export function straceSummary(file, dir) {
  const out = { source: 0, other: {} };
  for (const [path, n] of straceReadsByPath(file)) {
    if (path.startsWith(dir)) out.source += n;
    else {
      const kind = path.startsWith("TCP") || path.startsWith("socket") ? "socket" : path.startsWith("anon_inode:[eventfd]") ? "eventfd" : path.startsWith("pipe") ? "pipe" : path.startsWith("/proc") ? "/proc" : "other files";
      out.other[kind] = (out.other[kind] ?? 0) + n;
    }
  }
  return out;
}
