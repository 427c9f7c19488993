// The serving engine's typed failures. Every predict either resolves or rejects with one of these,
// so the HTTP layer maps `code` to a status and a TF Serving–style `{"error": message}` once.

export type ServingErrorCode =
  /** No model registered under that key (404). */
  | "not-found"
  /** The model's files are not a loadable tfjs layers model, or exceed the size limit (the model's own fault: 4xx/5xx by caller's choice). */
  | "load-failed"
  /** The rows are not numbers of the model's input width, or too many (400). */
  | "bad-input"
  /** The model loaded but threw while predicting (500). */
  | "predict-failed"
  /** Too many requests waiting (503/429). */
  | "overloaded"
  /** No answer within the request's time limit (504). */
  | "timeout"
  /** The worker thread running the request stopped; it has been replaced (503, safe to retry). */
  | "worker-crashed"
  /** The engine is closed (503). */
  | "closed";

export class ServingError extends Error {
  readonly code: ServingErrorCode;
  constructor(code: ServingErrorCode, message: string) {
    super(message);
    this.name = "ServingError";
    this.code = code;
  }
}

export function isServingError(e: unknown): e is ServingError {
  return e instanceof ServingError;
}
