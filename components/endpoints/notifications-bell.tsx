"use client";
// The signed-in user's notifications in the site header (issue 13 point 5): a bell with the
// unread count (refetched every 15 s), opening the newest notifications — a drift alert names the
// model, version and feature and links to the endpoint page. Opening one marks it read; "mark all
// read" marks every one.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatNumber } from "./format";
import { useEndpointError } from "./use-endpoint-error";

export const NOTIFICATIONS_REFRESH_MS = 15_000;

export function NotificationsBell() {
  const t = useTranslations("models.notifications");
  const lang = useLocale();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toMessage = useEndpointError();
  const [open, setOpen] = useState(false);
  const list = useQuery(trpc.monitoring.notifications.queryOptions({ limit: 20 }, { refetchInterval: NOTIFICATIONS_REFRESH_MS }));
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.monitoring.notifications.pathKey() });
  const mark = useMutation(trpc.monitoring.markNotificationsRead.mutationOptions({ onSuccess: refresh }));
  const unread = list.data?.unread ?? 0;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "short" });

  const text = (kind: string, data: Record<string, unknown>) =>
    kind === "driftAlert"
      ? t("driftAlert", { model: String(data.model ?? ""), version: String(data.version ?? ""), feature: String(data.feature ?? ""), psi: formatNumber(Number(data.psi), lang, 3) })
      : t("unknown");

  return (
    <div className="relative">
      <button
        type="button"
        data-testid="notifications-bell"
        data-unread={unread}
        aria-expanded={open}
        aria-label={t("bell", { count: unread })}
        onClick={() => setOpen((o) => !o)}
        className="relative rounded-md px-1.5 py-0.5 hover:bg-stone-200/60"
      >
        <span aria-hidden="true">🔔</span>
        {unread > 0 && (
          <span data-testid="notifications-unread" className="absolute -right-1 -top-1 rounded-full bg-red-600 px-1 text-[10px] font-bold leading-4 text-white">
            {unread}
          </span>
        )}
      </button>
      {open && (
        <div data-testid="notifications-panel" className="absolute right-0 z-20 mt-1 w-80 rounded-md border border-stone-200 bg-white p-2 shadow-lg">
          <div className="mb-1 flex items-center justify-between">
            <h2 className="text-sm font-semibold">{t("title")}</h2>
            {unread > 0 && (
              <button type="button" data-testid="notifications-mark-all" className="text-xs text-accent hover:underline" disabled={mark.isPending} onClick={() => mark.mutate({ all: true })}>
                {t("markAll")}
              </button>
            )}
          </div>
          {(list.error || mark.error) && <Alert tone="error">{toMessage(list.error ?? mark.error)}</Alert>}
          {list.data && list.data.items.length === 0 && <p data-testid="notifications-empty" className="text-sm text-stone-500">{t("empty")}</p>}
          <ul className="flex max-h-96 flex-col gap-1 overflow-y-auto">
            {list.data?.items.map((n) => (
              <li key={n.id} data-testid="notification" data-read={n.read} className={`rounded px-2 py-1 text-sm ${n.read ? "text-stone-500" : "bg-amber-50"}`}>
                {n.href ? (
                  <Link
                    href={n.href}
                    className="hover:underline"
                    onClick={() => {
                      if (!n.read) mark.mutate({ ids: [n.id] });
                      setOpen(false);
                    }}
                  >
                    {text(n.kind, n.data)}
                  </Link>
                ) : (
                  <span>{text(n.kind, n.data)}</span>
                )}
                <div className="text-xs text-stone-500">{when.format(new Date(n.createdAt))}</div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
