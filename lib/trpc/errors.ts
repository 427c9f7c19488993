// Turns a tRPC client error into the key of a translated message (namespace `errors`).
import { TRPCClientError } from "@trpc/client";

export function errorKey(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const key = (error.data as { messageKey?: string } | undefined)?.messageKey;
    if (key) return key;
  }
  return "unexpected";
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === "UNAUTHORIZED";
}
