/**
 * A hashing thread must not keep `pulumi up` (the dynamic-provider host) alive: once a stream is closed,
 * after its digests or abandoned, the thread is unref'd and a process with nothing else to do ends by
 * itself. Runs the built module in a plain node process (tests/package: after `npm run build`).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "../..");

describe("a process that hashed on a hashing thread", () => {
  it.each(["digests", "abandoned"])("ends by itself once its stream is closed (%s)", (mode) => {
    // The timeout is a safety net against a hang (then `signal` is set), not a measure of anything.
    const run = spawnSync(process.execPath, [resolve(__dirname, "hashing-thread-child.cjs"), mode], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(run.stderr).toBe("");
    expect(run.signal).toBeNull();
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout.trim()) as { offThread: boolean; activeWhileOpen: number; sha512?: string };
    // On one core nothing is hashed off the main thread; said here rather than skipped.
    expect(out.offThread).toBe(availableParallelism() > 1);
    expect(out.activeWhileOpen).toBeGreaterThan(0); // the thread was running (and held the process) while the stream was open
    if (mode === "digests") expect(out.sha512).toBe(createHash("sha512").update(Buffer.alloc(3 * 1024 * 1024 + 1, 9)).digest("hex"));
  });
});
