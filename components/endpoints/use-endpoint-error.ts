"use client";
// Translated message for a failed endpoint call (./error-message.ts): the server's reason with its
// parameters when it sent one, else the endpoint wording of the error's code, else the generic
// message; an expired session sends the user to sign in (useErrorMessage).
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { endpointErrorMessage, type Translator } from "./error-message";

export function useEndpointError() {
  const t = useTranslations();
  const generic = useErrorMessage();
  return useCallback(
    (error: unknown): string => {
      generic(error); // the sign-in redirect of an expired session
      return endpointErrorMessage(error, t as unknown as Translator);
    },
    [t, generic],
  );
}
