/**
 * The one retry loop (`retrying` in src/http/retry.ts) under the named call policies: attempts counted as
 * the policy says, `stop` ends the loop with any error, `beforeNext` runs between attempts, a
 * non-retryable failure is thrown at once, and an aborted signal stops the loop.
 */
import { describe, expect, it } from "vitest";
import { HttpError, InputError } from "../../src/errors";
import { CREATE_POST, UPDATE_REPLAN } from "../../src/http/call-policies";
import { retrying, type CallPolicy } from "../../src/http/retry";

const fast = (policy: CallPolicy): CallPolicy => ({ ...policy, retry: { ...policy.retry, minDelayMs: 1, maxDelayMs: 2 } });
const status = (code: number): HttpError => new HttpError({ status: code, method: "PATCH", url: "http://glance.test/v2/images/x" });

describe("retrying", () => {
  it("a transient failure is retried up to the policy's retries, then thrown (5 attempts for an update re-plan)", async () => {
    let attempts = 0;
    const error = await retrying(fast(UPDATE_REPLAN), async () => {
      attempts += 1;
      throw status(500);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(attempts).toBe(1 + UPDATE_REPLAN.retry.retries);
  });

  it("beforeNext runs between attempts, and the next attempt succeeds", async () => {
    const log: string[] = [];
    const result = await retrying(
      fast(UPDATE_REPLAN),
      async ({ attempt }) => {
        log.push(`attempt ${attempt}`);
        if (attempt === 0) throw status(503);
        return "done";
      },
      { beforeNext: (_error, attempt) => void log.push(`re-read after ${attempt}`) },
    );
    expect(result).toBe("done");
    expect(log).toEqual(["attempt 0", "re-read after 0", "attempt 1"]);
  });

  it("a failure the policy does not retry is thrown after one attempt (a 409 to a create's POST)", async () => {
    let attempts = 0;
    const error = await retrying(fast(CREATE_POST), async () => {
      attempts += 1;
      throw status(409);
    }).catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(409);
    expect(attempts).toBe(1);
  });

  it("stop ends the loop with its error however retryable", async () => {
    let attempts = 0;
    const stopped = new InputError("imageId", "taken");
    const error = await retrying(fast(CREATE_POST), async ({ stop }) => {
      attempts += 1;
      throw stop(stopped);
    }).catch((e: unknown) => e);
    expect(error).toBe(stopped);
    expect(attempts).toBe(1);
  });

  it("an aborted signal stops the loop with the failure", async () => {
    const controller = new AbortController();
    let attempts = 0;
    const error = await retrying(
      fast(UPDATE_REPLAN),
      async () => {
        attempts += 1;
        controller.abort();
        throw status(500);
      },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(500);
    expect(attempts).toBe(1);
  });
});
