import { describe, expect, it } from "vitest";
import { extractServerMessage } from "../../src/http/server-message";
import conflict from "../fixtures/error-409-duplicate-id.json";
import notFound from "../fixtures/error-404.json";

describe("extractServerMessage on bodies recorded from real Glance", () => {
  it("strips Glance's <br /> junk from a 409", () => {
    expect(extractServerMessage(JSON.stringify(conflict), "application/json")).toMatch(/^Image ID [0-9a-f-]{36} already exists!$/);
  });

  it("reads a 404", () => {
    expect(extractServerMessage(JSON.stringify(notFound), "application/json")).toBe("No image found with ID 00000000-0000-0000-0000-000000000000");
  });

  it("reads Keystone's nested error", () => {
    expect(extractServerMessage('{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}', "application/json")).toBe(
      "The request you have made requires authentication.",
    );
  });

  it("reads an HTML page without its title", () => {
    expect(extractServerMessage("<html><head><title>409 Conflict</title></head><body><h1>409 Conflict</h1>Image status transition from active to saving is not allowed<br /><br /></body></html>", "text/html")).toBe(
      "Image status transition from active to saving is not allowed",
    );
  });

  it("returns nothing for an empty body", () => {
    expect(extractServerMessage("  ", undefined)).toBeUndefined();
  });
});
