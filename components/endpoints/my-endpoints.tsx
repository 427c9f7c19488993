"use client";
// A student's registered models and their endpoints: mode, versions, visibility and live health,
// with a link to each endpoint's page and how to call it.
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { endpointPageHref } from "./format";
import { HealthCells } from "./health";
import { HowToCall } from "./how-to-call";
import { useEndpointError } from "./use-endpoint-error";

export function EndpointsTable({ endpoints }: { endpoints: { name: string; mode: string; stableVersion: number | null; candidateVersion: number | null; servingVersion: number | null; visibility: string }[] }) {
  const t = useTranslations("models");
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-sm" data-testid="endpoints-table">
        <thead className="text-left text-stone-500">
          <tr>
            <th className="py-1 pr-3">{t("col.name")}</th>
            <th className="py-1 pr-3">{t("col.mode")}</th>
            <th className="py-1 pr-3">{t("col.stable")}</th>
            <th className="py-1 pr-3">{t("col.candidate")}</th>
            <th className="py-1 pr-3">{t("col.visibility")}</th>
            <th className="py-1 pr-3">{t("col.rps")}</th>
            <th className="py-1 pr-3">{t("col.errorRate")}</th>
            <th className="py-1 pr-3">{t("col.p99")}</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <tr key={e.name} className="border-t border-stone-100" data-testid="endpoint-row" data-name={e.name}>
              <td className="py-1 pr-3 font-medium">
                <Link href={endpointPageHref(e.name)} className="text-accent hover:underline">{e.name}</Link>
              </td>
              <td className="py-1 pr-3">{t(`mode.${e.mode}` as "mode.single")}</td>
              <td className="py-1 pr-3">{e.stableVersion ?? e.servingVersion ?? t("none_")}</td>
              <td className="py-1 pr-3">{e.candidateVersion ?? t("none_")}</td>
              <td className="py-1 pr-3">{t(`visibility.${e.visibility}` as "visibility.private")}</td>
              <HealthCells name={e.name} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MyEndpoints({ origin }: { origin: string }) {
  const t = useTranslations("models");
  const trpc = useTRPC();
  const toMessage = useEndpointError();
  const mine = useQuery(trpc.endpoints.listMine.queryOptions());
  if (mine.error) return <Alert tone="error">{toMessage(mine.error)}</Alert>;
  if (!mine.data) return null;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="text-stone-600">{t("intro")}</p>
      {mine.data.length === 0 ? (
        <p className="text-stone-600" data-testid="endpoints-none">{t("none")}</p>
      ) : (
        <>
          <Card>
            <EndpointsTable endpoints={mine.data} />
          </Card>
          <HowToCall origin={origin} name={mine.data[0]!.name} />
        </>
      )}
    </div>
  );
}
