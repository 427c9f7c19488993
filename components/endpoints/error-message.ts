// Which translated message a failed endpoints/monitoring call shows: the server's detail
// (`models.errors.<reason>` or `models.notifications.errors.<reason>`, with its parameters) when
// it sent one, else the endpoint wording of the error's code (`models.errors.<code>`), else the
// generic message (`errors.<code>`). Pure, so the choice is tested with the real messages.
import { TRPCClientError } from "@trpc/client";
import { errorKey } from "@/lib/trpc/errors";

export interface ErrorDetail {
  key: string;
  params: Record<string, string | number>;
}

const DETAIL_PREFIXES = ["models.errors.", "models.notifications.errors."];

/** The server's detail of a tRPC error, when it names one of the models' messages. */
export function endpointErrorDetail(error: unknown): ErrorDetail | null {
  if (!(error instanceof TRPCClientError)) return null;
  const detail = (error.data as { detail?: { key?: unknown; params?: unknown } } | undefined)?.detail;
  const key = detail?.key;
  if (typeof key !== "string" || !DETAIL_PREFIXES.some((p) => key.startsWith(p))) return null;
  const params: Record<string, string | number> = {};
  if (detail?.params && typeof detail.params === "object")
    for (const [k, v] of Object.entries(detail.params as Record<string, unknown>)) if (typeof v === "string" || typeof v === "number") params[k] = v;
  return { key, params };
}

export interface Translator {
  has(key: string): boolean;
  (key: string, params?: Record<string, string | number>): string;
}

/** The message for `error`: `t` translates from the root of the messages. */
export function endpointErrorMessage(error: unknown, t: Translator): string {
  const detail = endpointErrorDetail(error);
  if (detail && t.has(detail.key)) return t(detail.key, detail.params);
  const code = errorKey(error);
  if (t.has(`models.errors.${code}`)) return t(`models.errors.${code}`);
  return t.has(`errors.${code}`) ? t(`errors.${code}`) : t("errors.unexpected");
}
