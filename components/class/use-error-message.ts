"use client";
// Translated message for a failed tRPC call; an expired session sends the user to sign in.
import { useLocale, useTranslations } from "next-intl";
import { usePathname } from "next/navigation";
import { useCallback } from "react";
import { errorKey, isUnauthorized } from "@/lib/trpc/errors";

export function useErrorMessage() {
  const t = useTranslations("errors");
  const locale = useLocale();
  const pathname = usePathname();
  return useCallback(
    (error: unknown) => {
      if (isUnauthorized(error)) {
        window.location.assign(`/${locale}/sign-in?expired=1&next=${encodeURIComponent(pathname)}`);
      }
      const key = errorKey(error);
      return t.has(key) ? t(key) : t("unexpected");
    },
    [t, locale, pathname],
  );
}
