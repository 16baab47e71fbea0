/**
 * Errors the vector adapter throws. The API maps VectorStoreUnavailableError to 503 (retry later) and
 * treats VectorStoreRequestError as a bug or bad input (the store understood and refused the request).
 */
export class VectorStoreUnavailableError extends Error {
  constructor(
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The vector store at ${url} is unreachable (retries exhausted). Check that Qdrant or the embedded engine is running and that the vector store URL is correct.`,
      options,
    );
    this.name = "VectorStoreUnavailableError";
  }
}

export class VectorStoreRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "VectorStoreRequestError";
  }
}
