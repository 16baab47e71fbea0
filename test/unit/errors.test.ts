import { describe, expect, it } from "vitest";
import { ApiError, toApiError } from "../../src/errors.js";
import {
  ConflictError,
  LimitExceededError,
  NotFoundError,
  ServiceError,
  UnavailableError,
  ValidationError,
} from "../../src/services/errors.js";
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

describe("ServiceError mapping (issue 20)", () => {
  it("turns a verb's retry hint into a retry-after header and body field, and keeps its data", () => {
    const err = toApiError(
      new UnavailableError("Ingestion queue is full; retry shortly.", 30, { queue: "ingest" }),
    );
    expect(err.status).toBe(503);
    expect(err.code).toBe("unavailable");
    expect(err.extra.headers).toEqual({ "retry-after": "30" });
    expect(err.extra.data).toEqual({ retry_after_seconds: 30, queue: "ingest" });
  });

  it("maps codes to their status and field problems to the body's errors", () => {
    expect(toApiError(new NotFoundError("Knowledge base", "kb_1")).status).toBe(404);
    expect(toApiError(new ConflictError("taken")).status).toBe(409);
    const quota = toApiError(
      new LimitExceededError("quota_exceeded", "Monthly requests used up.", { data: { quota: "requests" } }),
    );
    expect([quota.status, quota.extra.data]).toEqual([402, { quota: "requests" }]);
    const invalid = toApiError(new ValidationError("Bad body", [{ field: "name", message: "required" }]));
    expect([invalid.status, invalid.extra.errors]).toEqual([400, [{ field: "name", message: "required" }]]);
    expect(toApiError(new ServiceError("forbidden", "no")).status).toBe(403);
  });
});
