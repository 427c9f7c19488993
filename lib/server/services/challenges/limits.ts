// Sizes of what reaches the challenge services through each edge.
import { MAX_UPLOAD_BYTES } from "@/lib/challenges/tables";

/** A CSV sent as text through tRPC: tRPC bodies are capped near 5 MB (lib/server/api/trpc-http.ts). */
export const TRPC_CSV_MAX_CHARS = 4 * 1024 * 1024;
/** A multipart or text/csv upload to POST /api/challenges. */
export const REST_UPLOAD_MAX_BYTES = MAX_UPLOAD_BYTES;
