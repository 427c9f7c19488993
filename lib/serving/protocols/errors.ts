// Failures of the serving protocols as TF Serving reports them: a canonical status code, mapped to
// an HTTP status exactly as TF Serving's HTTP server does (tensorflow/serving
// tensorflow_serving/model_servers/http_server.cc, ToHTTPStatusCode), and a body `{"error": message}`
// (tensorflow_serving/util/json_tensor.cc, MakeJsonFromStatus). The Open Inference Protocol uses the
// same body (`$inference_error_response`, kserve/open-inference-protocol inference_rest.md).

/** absl/gRPC canonical codes, by the names TF Serving prints (`error_code` in model status). */
export type StatusCode =
  | "CANCELLED"
  | "UNKNOWN"
  | "INVALID_ARGUMENT"
  | "DEADLINE_EXCEEDED"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "PERMISSION_DENIED"
  | "RESOURCE_EXHAUSTED"
  | "FAILED_PRECONDITION"
  | "ABORTED"
  | "OUT_OF_RANGE"
  | "UNIMPLEMENTED"
  | "INTERNAL"
  | "UNAVAILABLE"
  | "DATA_LOSS"
  | "UNAUTHENTICATED";

// http_server.cc ToHTTPStatusCode; CLIENT_CLOSED_REQUEST is nginx's 499, GATEWAY_TO 504.
const HTTP_STATUS: Record<StatusCode, number> = {
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500,
  UNAUTHENTICATED: 401,
};

export function httpStatusOf(code: StatusCode): number {
  return HTTP_STATUS[code];
}

export interface ErrorBody {
  error: string;
}

export class ProtocolError extends Error {
  readonly code: StatusCode;
  /** The HTTP status: the code's, unless a protocol needs another (413 for a body too large, 405). */
  readonly status: number;
  constructor(code: StatusCode, message: string, status: number = HTTP_STATUS[code]) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    this.status = status;
  }

  get body(): ErrorBody {
    return { error: this.message };
  }
}

/** INVALID_ARGUMENT (400), the code of nearly every bad request. */
export function invalidArgument(message: string): ProtocolError {
  return new ProtocolError("INVALID_ARGUMENT", message);
}

export function notFound(message: string): ProtocolError {
  return new ProtocolError("NOT_FOUND", message);
}

/** absl::Status::ToString: how TF Serving quotes a wrapped error ("INVALID_ARGUMENT: ..."). */
export function statusString(e: ProtocolError): string {
  return `${e.code}: ${e.message}`;
}

/** A reply the lean HTTP layer writes as it is: status and JSON body. */
export interface ProtocolReply<B = unknown> {
  status: number;
  body: B;
}

export function errorReply(e: ProtocolError): ProtocolReply<ErrorBody> {
  return { status: e.status, body: e.body };
}
