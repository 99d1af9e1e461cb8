import { connect } from "node:net";

/**
 * Notices, while creates run, that the Pulumi engine that started this provider process is gone (the CLI
 * was killed: SIGKILL, a CI timeout). The engine starts the dynamic-provider host in a process group of its
 * own, so nothing else would stop it: the host would finish its upload for nobody and leave an image that
 * no state records. Two signs, checked every `PULUMI_GLANCE_ENGINE_POLL_MS` (default 1000 ms):
 * - the engine's address, which the host got as its argument (`…/cmd/dynamic-provider <host:port>`), refuses
 *   connections: the CLI process that listened there has exited;
 * - this process was re-parented (its parent exited), whoever started it;
 * - writing to stdout/stderr (pipes the CLI reads) fails with EPIPE: the reader is gone. Handling that error
 *   also stops the host's own uncaught-error handler from looping on it (measured: a busy loop of SIGPIPEs).
 * Only inside that host: elsewhere (a script, a test) the provider's parent is nobody's business.
 * Then every running create is cancelled (it deletes its half-made image), and once the last one has
 * finished the process exits with status 1, since nobody is left to talk to.
 */

/** A running create's registration; `end()` when it is over. */
export interface EngineWatch {
  end(): void;
}

const listeners = new Set<(why: string) => void>();
let poller: NodeJS.Timeout | undefined;
let goneWhy: string | undefined;
let startParent = 0;

/** Calls `onGone` (once) if the engine goes away before `end()`. Outside the dynamic-provider host it does nothing. */
export function watchEngine(onGone: (why: string) => void, argv: readonly string[] = process.argv): EngineWatch {
  if (engineAddress(argv) === undefined) return { end: () => undefined };
  if (goneWhy !== undefined) {
    onGone(goneWhy);
    return { end: () => exitIfIdle() };
  }
  let called = false;
  const listener = (why: string): void => {
    if (!called) {
      called = true;
      onGone(why);
    }
  };
  listeners.add(listener);
  watchOutput();
  if (poller === undefined) {
    startParent = process.ppid;
    const ms = Number(process.env["PULUMI_GLANCE_ENGINE_POLL_MS"] ?? "") || 1000;
    poller = setInterval(() => void poll(), ms);
    poller.unref();
  }
  return {
    end() {
      listeners.delete(listener);
      if (listeners.size === 0 && poller !== undefined) {
        clearInterval(poller);
        poller = undefined;
      }
      exitIfIdle();
    },
  };
}

/** The engine's `host:port` when this process is Pulumi's Node dynamic-provider host, else undefined. */
export function engineAddress(argv: readonly string[] = process.argv): { host: string; port: number } | undefined {
  if (!/[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(argv[1] ?? "")) return undefined;
  const match = /^([\w.-]+|\[[0-9a-f:]+\]):(\d+)$/i.exec(argv[2] ?? "");
  return match?.[1] === undefined ? undefined : { host: match[1].replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}

let outputWatched = false;

function watchOutput(): void {
  if (outputWatched) return;
  outputWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") markGone("the pulumi CLI stopped reading the provider's output (it exited)");
    });
  }
}

function markGone(why: string): void {
  if (goneWhy !== undefined) return;
  goneWhy = why;
  for (const listener of [...listeners]) listener(why);
}

async function poll(): Promise<void> {
  if (goneWhy !== undefined) return;
  let why: string | undefined;
  if (process.ppid !== startParent) why = `the process that started the provider (pid ${startParent}) exited`;
  const engine = engineAddress();
  if (why === undefined && engine !== undefined && (await refuses(engine.host, engine.port))) {
    why = `the Pulumi engine at ${engine.host}:${engine.port} is gone (the pulumi CLI exited)`;
  }
  if (why !== undefined) markGone(why);
}

/** True only for a definite refusal: a slow or odd answer proves nothing. */
function refuses(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (refused: boolean): void => {
      socket.destroy();
      resolve(refused);
    };
    socket.setTimeout(5000, () => done(false));
    socket.once("connect", () => done(false));
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code === "ECONNREFUSED"));
  });
}

function exitIfIdle(): void {
  if (goneWhy === undefined || listeners.size > 0) return;
  console.log(`glance: ${goneWhy}; the provider process exits`);
  setTimeout(() => process.exit(1), 100);
}
