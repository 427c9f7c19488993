"use client";
// A failed teach call in the instructor's language: the service's finer reason (teach.errors.<key>
// with its parameters: the file, the line, the id) when it gave one, else the generic message.
import { TRPCClientError } from "@trpc/client";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";

export function useTeachError() {
  const t = useTranslations("teach");
  const generic = useErrorMessage();
  return useCallback(
    (error: unknown): string => {
      if (error instanceof TRPCClientError) {
        const detail = (error.data as { detail?: { key?: string; params?: Record<string, string | number> } } | undefined)?.detail;
        const key = detail?.key?.startsWith("teach.") ? detail.key.slice("teach.".length) : null;
        if (key && t.has(key)) return t(key, detail?.params ?? {});
      }
      return generic(error);
    },
    [t, generic],
  );
}
