import { defineConfig } from "vitest/config";

// Unit tests run offline; integration and e2e tests need the local Glance that scripts/test.sh starts
// (GLANCE_URL), and fail loudly without it rather than skip.
export default defineConfig({
  test: {
    setupFiles: ["test/setup/expect-assertions.ts"],
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/package/**/*.test.ts"],
          globalSetup: ["test/setup/require-glance.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // the Glance v1 dialect against a real Glance v1 (GLANCE_FLAVOR=v1 of scripts/glance-local.sh)
          name: "v1",
          include: ["test/v1/**/*.test.ts"],
          globalSetup: ["test/setup/require-glance.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // a program through the real Pulumi CLI against a real Glance v1 (GLANCE_FLAVOR=v1), e2e timeouts
          name: "v1-e2e",
          include: ["test/v1-e2e/**/*.test.ts"],
          globalSetup: ["test/setup/require-glance.ts"],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/setup/require-glance.ts"],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
