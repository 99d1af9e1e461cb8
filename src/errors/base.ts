import { redact } from "../redact";

const BRAND = Symbol.for("pulumi-glance.error");

/** How deep a chain of causes is redacted (a cycle or a pathological chain stops there). */
const CAUSE_DEPTH = 8;

/**
 * The base of every error this package throws. Redaction is built in: the message is redacted at
 * construction, and so is the cause chain (a foreign cause, such as undici's or Node's error, has its own
 * message and stack redacted in place; a string cause is redacted), so no password, secret, token or
 * signed query registered with or recognised by the provider can leave through an error or its causes.
 */
export class GlanceError extends Error {
  override name = "GlanceError";
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(redact(message), options?.cause === undefined ? undefined : { cause: redactCause(options.cause) });
  }
}

/** True for any error thrown by this package, even across duplicate copies of it. */
export function isGlanceError(value: unknown): value is GlanceError {
  return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/**
 * `cause` with every credential masked: a string is redacted; an `Error` keeps its identity (callers read
 * its `code` and class) and has its `message` and `stack` redacted in place, along its own `cause` chain and
 * an `AggregateError`'s `errors`. Other values pass as they are.
 */
export function redactCause(cause: unknown, depth = 0): unknown {
  if (typeof cause === "string") return redact(cause);
  if (!(cause instanceof Error) || depth >= CAUSE_DEPTH) return cause;
  // A frozen error cannot be cleaned in place: a redacted stand-in takes its place.
  const standIn = (): GlanceError => new GlanceError(`${cause.name}: ${describeCause(cause)}`);
  for (const key of ["message", "stack"] as const) {
    let text: unknown;
    try {
      text = cause[key];
    } catch {
      continue;
    }
    if (typeof text === "string" && redact(text) !== text && !setOwn(cause, key, redact(text))) return standIn();
  }
  if (cause.cause !== undefined) {
    const inner = redactCause(cause.cause, depth + 1);
    if (inner !== cause.cause && !setOwn(cause, "cause", inner)) return standIn();
  }
  if (cause instanceof AggregateError && Array.isArray(cause.errors)) {
    const errors = cause.errors as unknown[];
    errors.forEach((each, i) => {
      const clean = redactCause(each, depth + 1);
      if (clean === each) return;
      try {
        errors[i] = clean;
      } catch {
        // a frozen list keeps what it had; its members were cleaned in place where they could be
      }
    });
  }
  return cause;
}

/** Sets an own, non-enumerable property (as `message`, `stack` and `cause` are); false when the object refuses. */
function setOwn(target: object, key: string, value: unknown): boolean {
  try {
    Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
    return true;
  } catch {
    return false;
  }
}

/** A short, redacted description of any thrown value. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const inner = cause.cause instanceof Error && !cause.message.includes(cause.cause.message) ? ` (${cause.cause.message})` : "";
    return redact(`${typeof code === "string" && !cause.message.includes(code) ? `${code} ` : ""}${cause.message}${inner}`);
  }
  return redact(String(cause));
}
