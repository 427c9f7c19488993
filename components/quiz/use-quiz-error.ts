"use client";
// Translated message for a failed quiz call: the server's detail (`quiz.errors.<code>` with its
// parameters) when it sent one, else the generic message for the error's code.
import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";

const BLANKS = { n: "", field: "", max: "", lesson: "", path: "" };

export function useQuizError() {
  const t = useTranslations();
  const generic = useErrorMessage();
  return useCallback(
    (error: unknown): string => {
      if (error instanceof TRPCClientError) {
        const detail = (error.data as { detail?: { key?: unknown; params?: Record<string, string | number> } } | undefined)?.detail;
        if (detail && typeof detail.key === "string" && (detail.key.startsWith("quiz.errors.") || detail.key.startsWith("live.errors.")) && t.has(detail.key)) {
          return t(detail.key, { ...BLANKS, ...(detail.params ?? {}) });
        }
      }
      return generic(error);
    },
    [t, generic],
  );
}
