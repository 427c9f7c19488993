"use client";
// An endpoint's audited changes, newest first: when, who, which action, from → to.
import { useTranslations } from "next-intl";
import { describeState, type StateLike } from "./describe";

export interface AuditEvent {
  id: number;
  action: string;
  actorId: string;
  timestamp: number;
  from: StateLike;
  to: StateLike;
}

export function AuditLog({ events, ownerId, ownerLabel, lang }: { events: AuditEvent[]; ownerId: string; ownerLabel: string; lang: string }) {
  const t = useTranslations("models");
  const modeLabel = (m: string) => (t.has(`mode.${m}`) ? t(`mode.${m}` as "mode.single") : m);
  const visLabel = (v: string) => (t.has(`visibility.${v}`) ? t(`visibility.${v}` as "visibility.private") : v);
  const actionLabel = (a: string) => (t.has(`audit.action_${a}`) ? t(`audit.action_${a}` as "audit.action_deploy") : a);
  if (events.length === 0) return <p className="text-sm text-stone-600" data-testid="audit-none">{t("audit.none")}</p>;
  const when = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "medium" });
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" data-testid="audit-table">
        <thead className="text-left text-stone-500">
          <tr>
            <th className="py-1 pr-3">{t("audit.when")}</th>
            <th className="py-1 pr-3">{t("audit.who")}</th>
            <th className="py-1 pr-3">{t("audit.action")}</th>
            <th className="py-1">{t("audit.change")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} className="border-t border-stone-100 align-top" data-testid="audit-row" data-action={e.action}>
              <td className="py-1 pr-3 whitespace-nowrap">{when.format(new Date(e.timestamp))}</td>
              <td className="py-1 pr-3">{e.actorId === ownerId ? ownerLabel : e.actorId}</td>
              <td className="py-1 pr-3">{actionLabel(e.action)}</td>
              <td className="py-1">
                {describeState(e.from, modeLabel, visLabel)} → {describeState(e.to, modeLabel, visLabel)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
