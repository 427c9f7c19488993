"use client";
import { useTranslations } from "next-intl";
import { statusTone } from "./format";

export function StatusBadge({ status }: { status: string }) {
  const t = useTranslations("tracking.status");
  return (
    <span data-testid="run-status" data-status={status} className={`rounded px-1.5 py-0.5 text-xs font-medium ${statusTone[status] ?? "bg-stone-100"}`}>
      {t.has(status) ? t(status) : status}
    </span>
  );
}
