"use client";
// A challenge as a class member sees it: what to predict and how it is scored, the deadline and
// today's submissions left (both in the class's time zone), the test features to download, how
// to submit from a notebook or a CSV, and the student's own submissions.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatInZone } from "./format";
import { MySubmissions } from "./my-submissions";
import { SubmissionUpload } from "./submission-upload";

/** The notebook code a student copies; `comments` are in the page's language. */
export function notebookSnippet(challengeId: string, comments: { features: string; order: string; model: string }): string {
  return [
    `const test = await data.load(${JSON.stringify(`challenge:${challengeId}`)}); // ${comments.features}`,
    `// ${comments.order}`,
    `const predictions = test.rows.map((row) => /* ${comments.model} */ 0);`,
    `await challenge.submit(${JSON.stringify(challengeId)}, predictions);`,
  ].join("\n");
}

/** Text with `inline code` spans, as the course's challenge descriptions are written. */
function WithCode({ text }: { text: string }) {
  const parts = text.split(/`([^`\n]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i} className="rounded bg-stone-100 px-1 text-[0.9em]">{part}</code> : part))}</>;
}

export function ChallengeView({ challengeId }: { challengeId: string }) {
  const t = useTranslations("challenges.page");
  const tm = useTranslations("challenges.metrics");
  const locale = useLocale();
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const challenge = useQuery(trpc.challenges.get.queryOptions({ challengeId }));
  if (challenge.error) return <Alert tone="error" testId="challenge-error">{toMessage(challenge.error)}</Alert>;
  const c = challenge.data;
  if (!c) return null;
  const zone = c.timeZone;
  const metricLabel = tm.has(c.metric) ? tm(c.metric) : c.metricName;
  return (
    <div className="flex flex-col gap-4" data-testid="challenge" data-challenge-id={c.id}>
      <div>
        <Link href={`/classes/${c.classId}/challenges`} className="text-sm text-accent hover:underline">← {t("back")} · {c.className}</Link>
        <h1 className="text-2xl font-bold" data-testid="challenge-title">{c.title}</h1>
        {c.description && <p className="mt-1 whitespace-pre-line text-stone-700"><WithCode text={c.description} /></p>}
      </div>
      <Card>
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-stone-600">{t("metric")}</dt>
          <dd data-testid="challenge-metric">
            {c.positiveLabel !== null ? t("metricPositive", { metric: metricLabel, label: c.positiveLabel }) : metricLabel} ({c.higherIsBetter ? t("higherIsBetter") : t("lowerIsBetter")})
          </dd>
          <dt className="font-medium text-stone-600">{t("deadline")}</dt>
          <dd data-testid="challenge-deadline">
            <time dateTime={new Date(c.deadline).toISOString()}>{formatInZone(c.deadline, zone, locale)}</time> ({zone})
          </dd>
          <dt className="font-medium text-stone-600">{t("dailyLimit")}</dt>
          <dd>
            {c.role === "student" ? (
              <span data-testid="challenge-remaining" data-remaining={c.remainingToday}>
                {t("left", { left: c.remainingToday, limit: c.dailyLimit, zone })}
              </span>
            ) : (
              <span>{t("instructorNote")}</span>
            )}
          </dd>
        </dl>
        {c.closed && <div className="mt-3"><Alert testId="challenge-closed">{t("closed")}</Alert></div>}
        <div className="mt-3">
          <Link href={`/challenges/${c.id}/leaderboard`} className="font-medium text-accent hover:underline" data-testid="leaderboard-link">{t("leaderboard")} →</Link>
        </div>
      </Card>
      <Card className="flex flex-col gap-2">
        <h2 className="font-semibold">{t("data")}</h2>
        <p className="text-sm text-stone-600">{t("featuresHint", { rows: c.rowCount, target: c.targetColumn, id: c.idColumn })}</p>
        <div className="flex flex-wrap gap-4 text-sm">
          <a href={c.featuresUrl} download className="font-medium text-accent hover:underline" data-testid="download-features">{t("downloadFeatures")}</a>
          {c.trainUrl && <a href={c.trainUrl} download className="font-medium text-accent hover:underline" data-testid="download-train">{t("downloadTrain")}</a>}
        </div>
        {c.trainDataset && (
          <p className="text-sm">
            <Link href={`/datasets#${c.trainDataset}`} className="text-accent hover:underline">{t("trainDataset", { name: c.trainDataset })}</Link>
          </p>
        )}
      </Card>
      <Card className="flex flex-col gap-2">
        <h2 className="font-semibold">{t("notebook")}</h2>
        <p className="text-sm text-stone-600">{t("notebookHint", { pairs: "{ id, prediction }" })}</p>
        <pre className="overflow-x-auto rounded-md bg-stone-900 p-3 text-xs text-stone-100" data-testid="notebook-snippet"><code>{notebookSnippet(c.id, { features: t("snippetFeatures"), order: t("snippetOrder"), model: t("snippetModel") })}</code></pre>
      </Card>
      {c.role === "student" && !c.closed && <SubmissionUpload challenge={c} />}
      {c.role === "student" && <MySubmissions challengeId={c.id} timeZone={zone} closed={c.closed} />}
    </div>
  );
}
