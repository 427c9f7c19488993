// MLflow's error body and HTTP statuses (mlflow/exceptions.py ERROR_CODE_TO_HTTP_STATUS).
import { isDomainError, type DomainErrorCode } from "@/lib/server/errors";

export type MlflowErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "PERMISSION_DENIED"
  | "UNAUTHENTICATED"
  | "ENDPOINT_NOT_FOUND"
  | "BAD_REQUEST"
  | "REQUEST_LIMIT_EXCEEDED"
  | "INTERNAL_ERROR";

export const HTTP_STATUS: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
};

const fromDomain: Record<DomainErrorCode, MlflowErrorCode> = {
  notFound: "RESOURCE_DOES_NOT_EXIST",
  forbidden: "PERMISSION_DENIED",
  unauthorized: "UNAUTHENTICATED",
  invalidJoinCode: "INVALID_PARAMETER_VALUE",
  alreadyMember: "RESOURCE_ALREADY_EXISTS",
  instructorCannotJoinOwnClass: "INVALID_PARAMETER_VALUE",
  conflict: "RESOURCE_ALREADY_EXISTS",
  invalidInput: "INVALID_PARAMETER_VALUE",
  rateLimited: "REQUEST_LIMIT_EXCEEDED",
};

export class MlflowError extends Error {
  constructor(
    readonly code: MlflowErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An answer as plain data: a status and the JSON body (what handleMlflowCall returns). */
export interface MlflowReply {
  status: number;
  body: unknown;
}

export function errorReply(code: MlflowErrorCode, message: string, status = HTTP_STATUS[code]): MlflowReply {
  return { status, body: { error_code: code, message } };
}

export function toErrorReply(e: unknown): MlflowReply {
  if (e instanceof MlflowError) return errorReply(e.code, e.message);
  if (isDomainError(e)) return errorReply(fromDomain[e.code], e.message === e.code ? defaultMessage(e.code) : e.message);
  console.error("[mlflow-rest] unexpected error", e);
  return errorReply("INTERNAL_ERROR", "Internal error");
}

export const replyResponse = (r: MlflowReply): Response => Response.json(r.body, { status: r.status });

export function errorResponse(code: MlflowErrorCode, message: string, status = HTTP_STATUS[code]): Response {
  return replyResponse(errorReply(code, message, status));
}

export function toErrorResponse(e: unknown): Response {
  return replyResponse(toErrorReply(e));
}

const defaultMessage = (c: DomainErrorCode) => (c === "notFound" ? "Resource does not exist" : c === "forbidden" ? "Permission denied" : c);
