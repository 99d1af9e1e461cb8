import { beforeEach, expect } from "vitest";

// Every test must assert something: a test that runs no expect() fails.
beforeEach(() => {
  expect.hasAssertions();
});
