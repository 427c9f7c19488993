"use client";
// The student's own submissions: time (class time zone), public score, the private one once the
// challenge has closed, where it came from, and which (at most 2) count as final.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { formatInZone, formatScore } from "./format";
import { useChallengeError } from "./use-challenge-error";

const MAX_FINALS = 2;

export function MySubmissions({ challengeId, timeZone, closed }: { challengeId: string; timeZone: string; closed: boolean }) {
  const t = useTranslations("challenges.page");
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useChallengeError();
  const subs = useQuery(trpc.challenges.mySubmissions.queryOptions({ challengeId }));
  const setFinal = useMutation(
    trpc.challenges.setFinal.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.challenges.mySubmissions.queryKey({ challengeId }) }),
    }),
  );
  const rows = subs.data ?? [];
  const marked = rows.filter((s) => s.selected).length;
  return (
    <Card className="flex flex-col gap-2">
      <h2 className="font-semibold">{t("mySubmissions")}</h2>
      <p className="text-sm text-stone-600">{t("finalHint")}</p>
      {subs.error && <Alert tone="error">{toMessage(subs.error)}</Alert>}
      {setFinal.error && <Alert tone="error" testId="final-error">{toMessage(setFinal.error)}</Alert>}
      {subs.data && rows.length === 0 ? (
        <p className="text-sm text-stone-600" data-testid="no-submissions">{t("noSubmissions")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="my-submissions">
            <thead className="border-b border-stone-200 text-stone-600">
              <tr>
                <th scope="col" className="py-2 pr-3">#</th>
                <th scope="col" className="py-2 pr-3">{t("time")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("publicScore")}</th>
                <th scope="col" className="py-2 pr-3 text-right">{t("privateScore")}</th>
                <th scope="col" className="py-2 pr-3">{t("source")}</th>
                <th scope="col" className="py-2">{t("final")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {[...rows].reverse().map((s) => (
                <tr key={s.id} data-testid="my-submission" data-attempt={s.attempt} data-final={s.counts ? "true" : "false"}>
                  <td className="py-2 pr-3 tabular-nums">{s.attempt}</td>
                  <td className="py-2 pr-3">{formatInZone(s.createdAt, timeZone, locale)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums" data-testid="my-submission-public">{formatScore(s.publicScore)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{s.privateScore === null ? <span className="text-stone-500">{t("privateHidden")}</span> : formatScore(s.privateScore)}</td>
                  <td className="py-2 pr-3">{s.source === "notebook" || s.source === "csv" ? t(`sources.${s.source}`) : s.source}</td>
                  <td className="py-2">
                    <div className="flex flex-wrap items-center gap-2">
                      {s.counts && <span className="font-medium text-green-800">✓ {t("final")}{!s.selected && ` ${t("finalDefault")}`}</span>}
                      {!closed && (
                        <Button
                          variant="secondary"
                          disabled={setFinal.isPending || (!s.selected && marked >= MAX_FINALS)}
                          onClick={() => setFinal.mutate({ challengeId, submissionId: s.id, selected: !s.selected })}
                          aria-pressed={s.selected}
                          data-testid="toggle-final"
                        >
                          {s.selected ? t("unmarkFinal") : t("markFinal")}
                        </Button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
