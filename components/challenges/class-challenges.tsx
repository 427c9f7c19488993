"use client";
// A class's model challenges: the list every member sees, and for the instructor the one-click
// course challenges, the form that creates one from a CSV, and who the leaderboards name.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { CreateChallengeForm } from "./create-challenge-form";
import { formatInZone } from "./format";
import { LeaderboardNamesSetting } from "./leaderboard-names-setting";
import { useChallengeError } from "./use-challenge-error";

export function ClassChallenges({ classId }: { classId: string }) {
  const t = useTranslations("challenges.list");
  const tm = useTranslations("challenges.metrics");
  const locale = useLocale();
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const cls = useQuery(trpc.classes.get.queryOptions({ classId }));
  const settings = useQuery(trpc.challenges.settings.queryOptions({ classId }));
  const list = useQuery(trpc.challenges.list.queryOptions({ classId }));
  const error = cls.error ?? list.error ?? settings.error;
  if (error) return <Alert tone="error" testId="challenges-error">{toMessage(error)}</Alert>;
  if (!cls.data || !settings.data) return null;
  const zone = settings.data.timeZone;
  const instructor = cls.data.role === "instructor";
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href={`/classes/${classId}`} className="text-sm text-accent hover:underline">← {t("back")}</Link>
        <h1 className="text-2xl font-bold">{t("title", { className: cls.data.name })}</h1>
        <p className="text-sm text-stone-600">{t("zone", { zone })}</p>
      </div>
      <Card>
        {list.data?.length === 0 ? (
          <p className="text-sm text-stone-600" data-testid="challenges-empty">{t("empty")}</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="challenges-table">
            <thead className="border-b border-stone-200 text-stone-600">
              <tr>
                <th scope="col" className="py-2 pr-3">{t("challenge")}</th>
                <th scope="col" className="py-2 pr-3">{t("metric")}</th>
                <th scope="col" className="py-2 pr-3">{t("deadline")}</th>
                <th scope="col" className="py-2 pr-3">{t("status")}</th>
                {!instructor && <th scope="col" className="py-2 pr-3">{t("entries")}</th>}
                <th scope="col" className="py-2"><span className="sr-only">{t("leaderboard")}</span></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {list.data?.map((c) => (
                <tr key={c.id} data-testid="challenge-row" data-challenge-id={c.id}>
                  <td className="py-2 pr-3">
                    <Link href={`/challenges/${c.id}`} className="font-medium text-accent hover:underline">{c.title}</Link>
                  </td>
                  <td className="py-2 pr-3">{tm.has(c.metric) ? tm(c.metric) : c.metricName}</td>
                  <td className="py-2 pr-3">{formatInZone(c.deadline, zone, locale)}</td>
                  <td className="py-2 pr-3">{c.closed ? t("closed") : t("open")}</td>
                  {!instructor && <td className="py-2 pr-3 tabular-nums">{c.entries}</td>}
                  <td className="py-2">
                    <Link href={`/challenges/${c.id}/leaderboard`} className="text-accent hover:underline">{t("leaderboard")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {instructor && (
        <>
          <TemplateStarter classId={classId} />
          <CreateChallengeForm classId={classId} timeZone={zone} />
          <LeaderboardNamesSetting classId={classId} current={settings.data.leaderboardNames} />
        </>
      )}
    </div>
  );
}

function TemplateStarter({ classId }: { classId: string }) {
  const t = useTranslations("challenges.templates");
  const tm = useTranslations("challenges.metrics");
  const locale = useLocale();
  const lang = locale === "en" ? "en" : "es";
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useChallengeError();
  const templates = useQuery(trpc.challenges.templates.queryOptions());
  const [started, setStarted] = useState<{ id: string; title: string } | null>(null);
  const start = useMutation(
    trpc.challenges.createFromTemplate.mutationOptions({
      onSuccess: (c) => {
        setStarted({ id: c.id, title: c.title });
        void queryClient.invalidateQueries({ queryKey: trpc.challenges.list.queryKey({ classId }) });
      },
    }),
  );
  if (!templates.data?.length) return null;
  return (
    <Card className="flex flex-col gap-3">
      <div>
        <h2 className="font-semibold">{t("title")}</h2>
        <p className="text-sm text-stone-600">{t("hint", { days: 7 })}</p>
      </div>
      <ul className="flex flex-col gap-3" data-testid="challenge-templates">
        {templates.data.map((tpl) => (
          <li key={tpl.id} className="flex flex-col gap-1 rounded-md border border-stone-200 p-3" data-testid="challenge-template" data-template={tpl.id}>
            <div className="font-medium">{tpl.title[lang]}</div>
            <p className="text-sm text-stone-600">{tpl.description[lang]}</p>
            <div className="text-xs text-stone-500">
              {tm.has(tpl.metric) ? tm(tpl.metric) : tpl.metricName} · {t("dataset", { name: tpl.trainDataset })}
            </div>
            <div>
              <Button
                onClick={() => start.mutate({ classId, template: tpl.id, locale: lang })}
                disabled={start.isPending}
                data-testid="start-template"
              >
                {t("start", { title: tpl.title[lang] })}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {start.error && <Alert tone="error" testId="start-template-error">{toMessage(start.error)}</Alert>}
      {started && (
        <Alert tone="success" testId="start-template-ok">
          <Link href={`/challenges/${started.id}`} className="underline">{t("started", { title: started.title })}</Link>
        </Alert>
      )}
    </Card>
  );
}
