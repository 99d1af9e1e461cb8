import type { ImageDialect } from "../../src/dialects/dialect";

/**
 * A dialect whose upload reads the body it is handed to its end (or its failure), as the transport sends
 * it, and answers nothing else: for tests of the upload's stream (digests, source failures, closing).
 */
export const draining = {
  capabilities: { verifiedBy: "multihash" },
  upload: async (_id: string, data: AsyncIterable<Uint8Array>) => {
    for await (const _chunk of data) {
      // sent
    }
  },
} as unknown as ImageDialect;
