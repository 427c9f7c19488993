"use client";
// Translated message for a failed challenge call: the server's detail (`challenges.errors.<code>`
// with its parameters) when it sent one, else the generic message for the error's code.
import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";

interface Detail {
  key: string;
  params?: Record<string, string | number>;
}

export function errorDetail(error: unknown): Detail | null {
  if (!(error instanceof TRPCClientError)) return null;
  const detail = (error.data as { detail?: Partial<Detail> } | undefined)?.detail;
  return detail && typeof detail.key === "string" && detail.key.startsWith("challenges.errors.") ? { key: detail.key, params: detail.params } : null;
}

/** Parameters a message may name that a given refusal did not send (e.g. `line` for a notebook's list). */
const BLANKS = { line: "", id: "", value: "", expected: "", got: "", missing: "", column: "", row: "", max: "", label: "", template: "", timeZone: "", limit: "", metric: "", detail: "", maxMb: "" };

export function useChallengeError() {
  const t = useTranslations();
  const generic = useErrorMessage();
  return useCallback(
    (error: unknown): string => {
      const detail = errorDetail(error);
      if (detail && t.has(detail.key)) return t(detail.key, { ...BLANKS, ...(detail.params ?? {}) });
      return generic(error);
    },
    [t, generic],
  );
}
