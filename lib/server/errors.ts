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

/** A finer reason the UI can translate with its parameters (e.g. `challenges.errors.wrongLength`). */
export interface DomainErrorDetail {
  key: string;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message?: string,
    readonly detail?: DomainErrorDetail,
  ) {
    super(message ?? code);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
