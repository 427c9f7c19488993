"use client";
// One run: what produced it (params, tags, source cells, backend), how it went (one chart per
// metric from its full history), its artifacts, and — for its owner — sharing with the class.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useMemo, type ReactNode } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";
import { artifactUrl } from "@/lib/tracking-client/artifact-url";
import { useTRPC } from "@/lib/trpc/react";
import type { MetricPoint } from "@/lib/server/services/tracking/values";
import { formatBytes, formatDateTime, formatDuration, formatMetric } from "./format";
import { metricLineSpec } from "./specs";
import { StatusBadge } from "./status-badge";
import { VegaChart } from "@/components/ui/vega-chart";
import { runRefresh } from "./live";

/** The cells a run recorded: a JSON list of sources (or of {source}) when the notebook sent cells, else plain text. */
export function sourceCells(source: string | null): string[] {
  if (!source?.trim()) return [];
  try {
    const parsed: unknown = JSON.parse(source);
    if (Array.isArray(parsed)) {
      const cells = parsed.map((c) => (typeof c === "string" ? c : typeof c === "object" && c && "source" in c ? String((c as { source: unknown }).source) : null));
      if (cells.every((c) => c !== null)) return cells as string[];
    }
  } catch {
    // not JSON: plain source text
  }
  return [source];
}

export function RunDetail({ runId }: { runId: string }) {
  const t = useTranslations("tracking.run");
  const tc = useTranslations("tracking.common");
  const tr = useTranslations("tracking.runs");
  const locale = useLocale();
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const run = useQuery({ ...trpc.tracking.run.queryOptions({ runId }), retry: false, refetchInterval: runRefresh });
  const experiments = useQuery(trpc.tracking.experiments.queryOptions({}));
  if (run.error) return <Alert tone="error" testId="run-error">{toMessage(run.error)}</Alert>;
  if (!run.data) return <p className="text-sm text-stone-500">{tc("loading")}</p>;
  const r = run.data;
  const i = r.info;
  const experiment = experiments.data?.find((e) => e.id === i.experimentId);
  const cells = sourceCells(i.source);
  const userTags = r.tags.filter((tag) => !tag.key.startsWith("mlflow.") && !tag.key.startsWith("cuaderno."));
  const metricKeys = Object.keys(r.histories).sort();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link href={`/experiments/${i.experimentId}`} className="text-sm text-accent hover:underline">
            ← {experiment?.name ?? t("experiment")}
          </Link>
          <h1 className="flex items-center gap-2 text-2xl font-bold">
            <span data-testid="run-name">{i.runName}</span> <StatusBadge status={i.status} />
          </h1>
        </div>
        {i.lessonSlug && (
          <Link href={`/lessons/${i.lessonSlug}`} className="rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-stone-100" data-testid="open-notebook">
            {t("openNotebook")} ↗
          </Link>
        )}
      </div>
      {i.lifecycleStage === "deleted" && <Alert tone="info">{t("deleted")}</Alert>}
      {r.mine && <ShareToggle runId={i.runId} shared={i.sharedWithClass} inClass={!!i.classId} />}
      <Card>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr_max-content_1fr]" data-testid="run-info">
          <Info label={t("owner")}>{i.userName}</Info>
          <Info label={t("runId")}><code className="text-xs">{i.runId}</code></Info>
          <Info label={tr("start")}>{formatDateTime(i.startTime, locale)}</Info>
          <Info label={tr("duration")}>{formatDuration(i.startTime, i.endTime)}</Info>
          <Info label={tr("backend")}>{[i.backend, i.device].filter(Boolean).join(" · ") || "—"}</Info>
          <Info label={tr("dataset")}>{i.datasetName ?? "—"}</Info>
          {i.datasetHash && <Info label={t("datasetHash")}><code className="break-all text-xs">{i.datasetHash}</code></Info>}
          {i.seed !== null && <Info label={t("seed")}>{i.seed}</Info>}
        </dl>
      </Card>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <h2 className="mb-2 font-semibold">{t("params")}</h2>
          {r.params.length === 0 ? <p className="text-sm text-stone-500">{t("noParams")}</p> : <KeyValueTable rows={r.params} testId="run-params" keyLabel={t("key")} valueLabel={t("value")} />}
        </Card>
        <Card>
          <h2 className="mb-2 font-semibold">{t("tags")}</h2>
          {userTags.length === 0 ? <p className="text-sm text-stone-500">{t("noTags")}</p> : <KeyValueTable rows={userTags} testId="run-tags" keyLabel={t("key")} valueLabel={t("value")} />}
        </Card>
      </div>
      <Card>
        <h2 className="mb-2 font-semibold">{t("metrics")}</h2>
        {r.metrics.length === 0 ? (
          <p className="text-sm text-stone-500">{t("noMetrics")}</p>
        ) : (
          <>
            <KeyValueTable rows={r.metrics.map((m) => ({ key: m.key, value: formatMetric(m.value) }))} testId="run-metrics" keyLabel={t("key")} valueLabel={t("latest")} />
            <div className="mt-4 grid gap-4 lg:grid-cols-2">
              {metricKeys.map((k) => (
                <MetricChart key={k} metricKey={k} points={r.histories[k]} />
              ))}
            </div>
          </>
        )}
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("artifacts")}</h2>
        {r.artifacts.length === 0 ? (
          <p className="text-sm text-stone-500">{t("noArtifacts")}</p>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="run-artifacts">
            {r.artifacts.map((a) => (
              <li key={a.path} className="flex items-center justify-between gap-3 py-1.5">
                <a
                  href={artifactUrl(i.runId, a.path)}
                  download={a.path.split("/").pop()}
                  className="font-mono text-xs text-accent hover:underline"
                  title={t("download")}
                  data-testid="artifact-link"
                >
                  {a.path}
                </a>
                <span className="text-xs text-stone-500">{a.contentType} · {formatBytes(a.size)}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("source")}</h2>
        {cells.length === 0 ? (
          <p className="text-sm text-stone-500">{t("noSource")}</p>
        ) : (
          <div className="flex flex-col gap-2" data-testid="run-source">
            {cells.map((c, n) => (
              <div key={n}>
                {cells.length > 1 && <div className="text-xs text-stone-500">{t("cell", { n: n + 1 })}</div>}
                <pre className="overflow-x-auto rounded-md bg-stone-100 p-3 font-mono text-xs leading-relaxed">{c}</pre>
              </div>
            ))}
          </div>
        )}
      </Card>
    </div>
  );
}

function Info({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-stone-500">{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function KeyValueTable({ rows, testId, keyLabel, valueLabel }: { rows: { key: string; value: string }[]; testId: string; keyLabel: string; valueLabel: string }) {
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="sr-only">
        <tr>
          <th>{keyLabel}</th>
          <th>{valueLabel}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-stone-100">
        {rows.map((r) => (
          <tr key={r.key}>
            <td className="py-1 pr-4 font-mono text-xs text-stone-600">{r.key}</td>
            <td className="break-all py-1 font-mono text-xs">{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MetricChart({ metricKey, points }: { metricKey: string; points: MetricPoint[] }) {
  const t = useTranslations("tracking.run");
  const spec = useMemo(() => metricLineSpec(metricKey, points, { step: t("step"), value: t("value") }), [metricKey, points, t]);
  return <VegaChart spec={spec} testId={`metric-chart-${metricKey}`} label={t("chartOf", { key: metricKey })} />;
}

function ShareToggle({ runId, shared, inClass }: { runId: string; shared: boolean; inClass: boolean }) {
  const t = useTranslations("tracking.run");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const share = useMutation(
    trpc.tracking.share.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.tracking.pathKey() }),
    }),
  );
  if (!inClass) return <p className="text-sm text-stone-500" data-testid="share-unavailable">{t("shareOnlyClass")}</p>;
  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant={shared ? "secondary" : "primary"}
          onClick={() => share.mutate({ runId, shared: !shared })}
          disabled={share.isPending}
          aria-pressed={shared}
          data-testid="share-toggle"
        >
          {shared ? t("unshare") : t("share")}
        </Button>
        <span className="text-sm text-stone-600" data-testid="share-state">{shared ? t("sharedOn") : t("sharedOff")}</span>
      </div>
      {share.error && <Alert tone="error">{toMessage(share.error)}</Alert>}
    </div>
  );
}
