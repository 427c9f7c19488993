"use client";
// Translated message for a failed endpoint call: the endpoint-specific wording of the error's code
// (`models.errors.<code>`) when there is one, else the generic message.
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { errorKey } from "@/lib/trpc/errors";

export function useEndpointError() {
  const t = useTranslations("models.errors");
  const generic = useErrorMessage();
  return useCallback(
    (error: unknown): string => {
      const key = errorKey(error);
      return t.has(key) ? t(key) : generic(error);
    },
    [t, generic],
  );
}
