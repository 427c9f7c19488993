"use client";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { useErrorMessage } from "@/components/class/use-error-message";
import { filterProblem } from "./filter-error";

/** A failed runs query: a translated explanation when the filter was at fault, else the usual message. */
export function QueryErrorAlert({ error }: { error: unknown }) {
  const t = useTranslations("tracking.filterError");
  const toMessage = useErrorMessage();
  const problem = filterProblem(error);
  if (!problem) return <Alert tone="error" testId="runs-error">{toMessage(error)}</Alert>;
  return (
    <Alert tone="error" testId="filter-error">
      <div className="font-semibold">{t("title")}</div>
      <div data-testid="filter-error-message">{t(problem.key, problem.values)}</div>
      <div className="mt-1 break-all font-mono text-xs opacity-80">{t("server", { detail: problem.detail })}</div>
    </Alert>
  );
}
