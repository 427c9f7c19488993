// Domain errors: services raise them with a stable code; routers turn them into HTTP/tRPC
// errors, and the UI translates the code (messages under `errors.<code>`).
export type DomainErrorCode =
  | "notFound"
  | "forbidden"
  | "unauthorized"
  | "invalidJoinCode"
  | "alreadyMember"
  | "instructorCannotJoinOwnClass"
  | "conflict"
  | "invalidInput"
  | "rateLimited";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message?: string,
  ) {
    super(message ?? code);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
