import { GlanceError, describeCause, isGlanceError } from "../errors";

/**
 * How a failure reaches the user. The dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`)
 * hands a rejected check/diff/read/delete to the engine, which prints its message, and first writes
 * `${error}: ${error.stack}` to stderr, which the CLI shows too: the message twice, with a stack trace.
 * Failures leaving the provider are therefore made {@link GlanceError}s and remembered, and that one
 * echo line of exactly such an error is dropped, unless debugging is asked for
 * ({@link debugRequested}); everything else written to stderr passes.
 */

/** Errors handed to the host and not yet echoed by it (a few at most: the host echoes at once). */
const pending: GlanceError[] = [];
const PENDING_LIMIT = 16;
let filtering = false;

/**
 * True when the user asked for stack traces: `PULUMI_GLANCE_DEBUG=1`, or `pulumi … --logflow -v=N`
 * (the engine passes `-v=N` on to the provider host then).
 */
export function debugRequested(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv): boolean {
  const flag = env["PULUMI_GLANCE_DEBUG"];
  if (flag !== undefined && /^(1|true|yes|on)$/i.test(flag.trim())) return true;
  return argv.some((arg) => /^--?v=[1-9]/.test(arg));
}

/** The error to hand to the host: this package's own as is, anything else wrapped into a {@link GlanceError}. */
export function presentable(error: unknown): GlanceError {
  if (isGlanceError(error)) return error;
  return new GlanceError(`unexpected failure: ${describeCause(error)} (set PULUMI_GLANCE_DEBUG=1 for the stack trace, and report it)`, { cause: error });
}

/** Wraps the named async methods of `cls` so that what they throw is {@link presentable} and printed once. */
export function reportFailures<T extends object>(cls: { prototype: T }, names: readonly (keyof T & string)[]): void {
  for (const name of names) {
    const method: unknown = cls.prototype[name];
    if (typeof method !== "function") continue;
    const wrapped = async function (this: T, ...args: unknown[]): Promise<unknown> {
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      } catch (error) {
        throw handOver(presentable(error));
      }
    };
    Object.defineProperty(cls.prototype, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
  }
}

function handOver(error: GlanceError): GlanceError {
  if (debugRequested()) return error;
  installEchoFilter();
  pending.push(error);
  if (pending.length > PENDING_LIMIT) pending.shift();
  return error;
}

/** Drops the host's `${error}: ${error.stack}` line for errors handed over by {@link handOver}. */
function installEchoFilter(): void {
  if (filtering) return;
  filtering = true;
  const original = console.error.bind(console);
  console.error = (...args: unknown[]): void => {
    if (args.length === 1 && typeof args[0] === "string") {
      const index = pending.findIndex((error) => args[0] === `${String(error)}: ${error.stack ?? ""}`);
      if (index >= 0) {
        pending.splice(index, 1);
        return;
      }
    }
    original(...args);
  };
}
