"use client";
// A student's CSV of predictions (id,prediction): read in the browser, scored by the server. A
// refused file says exactly why and does not use up one of today's submissions.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc/react";
import { formatScore } from "./format";
import { useChallengeError } from "./use-challenge-error";

/** MAX_PREDICTIONS_BYTES of lib/challenges/predictions. */
const MAX_MB = 5;

export function SubmissionUpload({ challenge }: { challenge: { id: string; remainingToday: number; timeZone: string } }) {
  const t = useTranslations("challenges.page");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useChallengeError();
  const inputId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [localProblem, setLocalProblem] = useState<"noFile" | "tooBig" | null>(null);
  const submit = useMutation(
    trpc.challenges.submit.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.challenges.get.queryKey({ challengeId: challenge.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.challenges.mySubmissions.queryKey({ challengeId: challenge.id }) }),
        ]),
    }),
  );
  const noneLeft = challenge.remainingToday <= 0;

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    submit.reset();
    const file = fileRef.current?.files?.[0];
    if (!file) return setLocalProblem("noFile");
    if (file.size > MAX_MB * 1024 * 1024) return setLocalProblem("tooBig");
    setLocalProblem(null);
    submit.mutate({ challengeId: challenge.id, csv: await file.text(), source: "csv" });
  }

  return (
    <Card>
      <form className="flex flex-col gap-2" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="submission-form">
        <h2 className="font-semibold">{t("upload")}</h2>
        <p className="text-sm text-stone-600">{t("uploadHint")}</p>
        <label htmlFor={inputId} className="text-sm font-medium">{t("file")}</label>
        <input
          id={inputId}
          ref={fileRef}
          type="file"
          name="predictions"
          accept=".csv,text/csv"
          className="text-sm"
          onChange={() => {
            setLocalProblem(null);
            submit.reset();
          }}
        />
        <div>
          <Button type="submit" disabled={submit.isPending || noneLeft} data-testid="submission-submit">
            {submit.isPending ? t("submitting") : t("submit")}
          </Button>
        </div>
        <div aria-live="polite">
          {noneLeft && <Alert testId="submission-none-left">{t("noneLeft", { zone: challenge.timeZone })}</Alert>}
          {localProblem && <Alert tone="error" testId="submission-error">{t(`uploadProblems.${localProblem}`, { mb: MAX_MB })}</Alert>}
          {submit.error && <Alert tone="error" testId="submission-error">{toMessage(submit.error)}</Alert>}
          {submit.data && (
            <Alert tone="success" testId="submission-ok">
              <span data-testid="submission-score" data-score={submit.data.publicScore}>
                {t("scored", { score: formatScore(submit.data.publicScore), attempt: submit.data.attempt })}
              </span>
            </Alert>
          )}
        </div>
      </form>
    </Card>
  );
}
