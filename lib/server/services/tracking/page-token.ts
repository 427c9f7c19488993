// Opaque page tokens for search endpoints (an offset, base64url-encoded as MLflow's are opaque).
import { DomainError } from "@/lib/server/errors";

export const encodePageToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64url");

export function decodePageToken(token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw new DomainError("invalidInput", `Invalid page token '${token}'`);
}
