import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "../../src/errors.js";
import { VectorStoreUnavailableError } from "../../src/vector/errors.js";

describe("toApiError", () => {
  it("maps an unreachable vector store to 503 with Retry-After and the store's message", () => {
    const err = toApiError(new VectorStoreUnavailableError("http://127.0.0.1:6333"));
    expect(err.status).toBe(503);
    expect(err.code).toBe("unavailable");
    expect(err.extra.headers).toEqual({ "retry-after": "5" });
    expect(err.message).toContain("http://127.0.0.1:6333");
  });

  it("hides anything unknown behind a 500 that reveals nothing internal", () => {
    const err = toApiError(new Error("connection string postgres://secret@db"));
    expect(err.status).toBe(500);
    expect(err.message).not.toContain("secret");
  });

  it("passes ApiErrors through unchanged", () => {
    const original = new ApiError("conflict", "already there");
    expect(toApiError(original)).toBe(original);
  });
});
