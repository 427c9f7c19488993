"use client";
// One endpoint's page: its deployment state, the owner's controls, how to call it, the audit log
// and live monitoring. Who may read or change what is the server's decision (endpoints router).
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { AuditLog } from "./audit-log";
import { DeploymentControls } from "./deployment-controls";
import { HowToCall } from "./how-to-call";
import { LiveMonitor } from "./live-monitor";
import { useEndpointError } from "./use-endpoint-error";

export function EndpointView({ name, origin }: { name: string; origin: string }) {
  const t = useTranslations("models");
  const lang = useLocale();
  const trpc = useTRPC();
  const toMessage = useEndpointError();
  const ep = useQuery(trpc.endpoints.get.queryOptions({ name }));
  // The owner and the instructors who oversee the model read the log; a classmate does not (no error shown then).
  const events = useQuery({ ...trpc.endpoints.events.queryOptions({ name, limit: 100 }), retry: false });
  if (ep.error) return <Alert tone="error">{toMessage(ep.error)}</Alert>;
  if (!ep.data) return null;
  const e = ep.data;
  const isOwner = !e.name.includes("/");
  const when = new Intl.DateTimeFormat(lang, { dateStyle: "short", timeStyle: "medium" });
  return (
    <div className="flex flex-col gap-4">
      <Link href="/models" className="text-sm text-accent hover:underline">{t("back")}</Link>
      <h1 className="text-2xl font-bold" data-testid="endpoint-name">{e.name}</h1>
      <Card>
        <h2 className="font-semibold">{t("state.title")}</h2>
        <ul className="mt-1 text-sm" data-testid="endpoint-state" data-mode={e.mode} data-serving={e.servingVersion ?? ""} data-candidate={e.candidateVersion ?? ""} data-percent={e.canaryPercent}>
          <li>{t("state.mode", { mode: t(`mode.${e.mode}` as "mode.single") })} · {t(`visibility.${e.visibility}` as "visibility.private")}</li>
          <li>{e.servingVersion === null ? t("state.servingNone") : t("state.serving", { version: e.servingVersion })}</li>
          {e.mode !== "single" && e.stableVersion !== null && <li>{t("state.stable", { version: e.stableVersion })}</li>}
          {e.mode !== "single" && e.candidateVersion !== null && <li>{t("state.candidate", { version: e.candidateVersion })}</li>}
          {e.mode === "canary" && <li data-testid="state-canary">{t("state.canary", { percent: e.canaryPercent })}</li>}
          {e.mode === "ab" && <li>{t("state.ab", { percent: e.abPercent })}</li>}
          {e.mode === "blue-green" && <li>{t("state.liveColor", { color: t(`color.${e.liveColor}` as "color.blue") })}</li>}
          <li>{t("state.versions", { versions: e.versions.map((v) => `v${v}`).join(", ") || "—" })}</li>
          {e.updatedAt !== null && <li className="text-stone-500">{t("state.updated", { when: when.format(new Date(e.updatedAt)) })}</li>}
        </ul>
        <div className="mt-3">{isOwner ? <DeploymentControls endpoint={e} /> : <p className="text-sm text-stone-600">{t("state.readOnly")}</p>}</div>
      </Card>
      <LiveMonitor name={e.name} />
      {events.data && (
        <Card>
          <h2 className="font-semibold">{t("audit.title")}</h2>
          <AuditLog events={events.data} ownerId={e.ownerId} ownerLabel={isOwner ? t("audit.you") : e.ownerId} lang={lang} />
        </Card>
      )}
      <HowToCall origin={origin} name={e.name} />
    </div>
  );
}
