"use strict";
// What a bench child process reports about itself: /proc/self/io, VmHWM/VmRSS, CPU time, and (when
// asked) a hook on fs.read/fs.readSync that counts the bytes read per file path.
const fs = require("node:fs");

/** /proc/self/io as numbers (rchar, wchar, read_bytes, write_bytes, ...). */
function readIo() {
  const out = {};
  for (const line of fs.readFileSync("/proc/self/io", "utf8").split("\n")) {
    const m = /^(\w+):\s+(\d+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** VmHWM (peak RSS) and VmRSS in bytes. */
function readMemory() {
  const status = fs.readFileSync("/proc/self/status", "utf8");
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN) * 1024;
  return { hwm: kib("VmHWM"), rss: kib("VmRSS") };
}

/** A snapshot to diff later: wall ms, CPU µs (user+system, all threads), /proc/self/io. */
function snapshot() {
  return { at: performance.now(), cpu: process.cpuUsage(), io: readIo() };
}

/** What happened between two snapshots. */
function between(a, b) {
  const io = {};
  for (const key of Object.keys(b.io)) io[key] = b.io[key] - (a.io[key] ?? 0);
  return {
    ms: b.at - a.at,
    cpuUserMs: (b.cpu.user - a.cpu.user) / 1000,
    cpuSysMs: (b.cpu.system - a.cpu.system) / 1000,
    io,
  };
}

/**
 * Counts bytes returned by fs.read / fs.readSync / FileHandle.read per real path (resolved through
 * /proc/self/fd while the descriptor is open), and opens by path (fs.open, fs.promises.open). Read
 * streams go through one of these, so file sources are counted; rchar covers anything else.
 */
function hookFsReads() {
  const bytes = new Map();
  const opens = new Map();
  const pathOf = (fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      return `fd:${fd}`;
    }
  };
  const add = (fd, n) => {
    if (n > 0) {
      const p = pathOf(fd);
      bytes.set(p, (bytes.get(p) ?? 0) + n);
    }
  };
  const read = fs.read;
  fs.read = function hookedRead(fd, ...rest) {
    const cb = rest.pop();
    return read.call(fs, fd, ...rest, (err, n, buf) => {
      if (!err) add(fd, n);
      cb(err, n, buf);
    });
  };
  const readSync = fs.readSync;
  fs.readSync = function hookedReadSync(fd, ...rest) {
    const n = readSync.call(fs, fd, ...rest);
    add(fd, n);
    return n;
  };
  const open = fs.open;
  fs.open = function hookedOpen(path, ...rest) {
    opens.set(String(path), (opens.get(String(path)) ?? 0) + 1);
    return open.call(fs, path, ...rest);
  };
  // FileHandle.read (used by handle.createReadStream): its prototype is hooked once the first handle exists.
  let handleHooked = false;
  const hookHandle = (handle) => {
    if (handleHooked) return;
    handleHooked = true;
    const proto = Object.getPrototypeOf(handle);
    const handleRead = proto.read;
    proto.read = async function hookedHandleRead(...args) {
      const result = await handleRead.apply(this, args);
      add(this.fd, result.bytesRead);
      return result;
    };
  };
  const promisesOpen = fs.promises.open;
  fs.promises.open = async function hookedPromisesOpen(path, ...rest) {
    opens.set(String(path), (opens.get(String(path)) ?? 0) + 1);
    const handle = await promisesOpen.call(fs.promises, path, ...rest);
    hookHandle(handle);
    return handle;
  };
  return {
    /** Bytes read from files under `dir`, and how many opens named a path under it. */
    under(dir) {
      let read = 0;
      let opened = 0;
      for (const [p, n] of bytes) if (p.startsWith(dir)) read += n;
      for (const [p, n] of opens) if (p.startsWith(dir)) opened += n;
      return { bytes: read, opens: opened };
    },
  };
}

/** Writes the child's result where the parent looks for it (the last `BENCH_RESULT ` line of stdout). */
function report(result) {
  const cpu = process.cpuUsage();
  const cpuTotalMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(`\nBENCH_RESULT ${JSON.stringify({ ...result, memory: readMemory(), uptimeMs: process.uptime() * 1000, cpuTotalMs })}\n`);
}

module.exports = { readIo, readMemory, snapshot, between, hookFsReads, report };
