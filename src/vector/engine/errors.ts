/**
 * An error the engine reports to the client in Qdrant's shape: `{status: {error}, time}` with an HTTP
 * status. Messages follow Qdrant's wording ("Wrong input: ...", "Not found: ...") so that clients which
 * match on them behave the same against the engine and a real Qdrant.
 */
export class EngineError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = "EngineError";
  }
}

export function wrongInput(detail: string): EngineError {
  return new EngineError(400, `Wrong input: ${detail}`);
}

export function collectionNotFound(name: string): EngineError {
  return new EngineError(404, `Not found: Collection \`${name}\` doesn't exist!`);
}

export function unsupported(feature: string): EngineError {
  return new EngineError(
    501,
    `Not implemented: ${feature} is not supported by the embedded engine; use a Qdrant server for it`,
  );
}
