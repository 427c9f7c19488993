"use client";
// An experiment's runs, MLflow style: a filter expression, sortable param/metric columns the
// user picks, and a selection of 2–10 runs to compare. Sorting and filtering run on the server
// (same grammar as the REST API), so paging stays correct.
import { useQueries, useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Link, useRouter } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import type { RunsTableRow } from "@/lib/server/services/tracking/views";
import { ColumnPicker } from "./column-picker";
import { formatDateTime, formatDuration, formatMetric, mlflowKey } from "./format";
import { QueryErrorAlert } from "./filter-error-alert";
import { StatusBadge } from "./status-badge";
import { listRefresh } from "./live";

const PAGE = 100;
const MAX_COMPARE = 10;
const DEFAULT_ORDER = { by: "attributes.start_time", asc: false };
// Wide tables stay readable: beyond this many keys of a kind, the rest start hidden.
const DEFAULT_VISIBLE = 8;

export function ExperimentRuns({ experimentId, initialFilter }: { experimentId: number; initialFilter: string }) {
  const t = useTranslations("tracking.runs");
  const tc = useTranslations("tracking.common");
  const trpc = useTRPC();
  const router = useRouter();
  const toMessage = useErrorMessage();
  const [draft, setDraft] = useState(initialFilter);
  const [filter, setFilter] = useState(initialFilter);
  const [order, setOrder] = useState(DEFAULT_ORDER);
  const [pageTokens, setPageTokens] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<string[]>([]);
  const [hidden, setHidden] = useState<Set<string> | null>(null);

  const experiments = useQuery(trpc.tracking.experiments.queryOptions({}));
  const experiment = experiments.data?.find((e) => e.id === experimentId);
  const base = { experimentIds: [experimentId], filter: filter || undefined, orderBy: [`${order.by} ${order.asc ? "ASC" : "DESC"}`], maxResults: PAGE };
  const pages = useQueries({ queries: pageTokens.map((pageToken) => ({ ...trpc.tracking.runs.queryOptions({ ...base, pageToken }), retry: false, refetchInterval: listRefresh })) });
  const first = pages[0];
  const rows = useMemo(() => pages.flatMap((p) => p.data?.rows ?? []), [pages]);
  const paramKeys = useMemo(() => [...new Set(pages.flatMap((p) => p.data?.paramKeys ?? []))].sort(), [pages]);
  const metricKeys = useMemo(() => [...new Set(pages.flatMap((p) => p.data?.metricKeys ?? []))].sort(), [pages]);
  const nextToken = pages[pages.length - 1]?.data?.nextPageToken;

  // Columns start visible up to DEFAULT_VISIBLE of each kind; the user's choice then sticks.
  useEffect(() => {
    if (hidden || !first.data) return;
    const h = new Set<string>();
    paramKeys.slice(DEFAULT_VISIBLE).forEach((k) => h.add(`params.${k}`));
    metricKeys.slice(DEFAULT_VISIBLE).forEach((k) => h.add(`metrics.${k}`));
    setHidden(h);
  }, [hidden, first.data, paramKeys, metricKeys]);
  const hiddenSet = hidden ?? new Set<string>();
  const shownParams = paramKeys.filter((k) => !hiddenSet.has(`params.${k}`));
  const shownMetrics = metricKeys.filter((k) => !hiddenSet.has(`metrics.${k}`));

  const apply = (next: string) => {
    setFilter(next);
    setPageTokens([undefined]);
    const url = new URL(window.location.href);
    if (next) url.searchParams.set("filter", next);
    else url.searchParams.delete("filter");
    window.history.replaceState(null, "", url);
  };
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    apply(draft.trim());
  };
  const sortBy = (by: string) => {
    setOrder((o) => (o.by === by ? { by, asc: !o.asc } : { by, asc: by.startsWith("params.") || by === "attributes.run_name" }));
    setPageTokens([undefined]);
  };
  const toggle = (runId: string) => setSelected((s) => (s.includes(runId) ? s.filter((x) => x !== runId) : [...s, runId]));
  const canCompare = selected.length >= 2 && selected.length <= MAX_COMPARE;
  const multiUser = new Set(rows.map((r) => r.info.userId)).size > 1;

  const sortHeader = (by: string, label: string, className = "", mono = false) => {
    const active = order.by === by;
    return (
      <th key={by} className={`whitespace-nowrap px-2 py-2 ${className}`} aria-sort={active ? (order.asc ? "ascending" : "descending") : "none"}>
        <button type="button" onClick={() => sortBy(by)} className="inline-flex items-center gap-1 hover:text-accent" data-testid={`sort-${by}`} title={t("sortBy", { column: label })}>
          <span className={mono ? "font-mono" : ""}>{label}</span>
          <span aria-hidden className={active ? "text-accent" : "text-stone-300"}>{active ? (order.asc ? "▲" : "▼") : "↕"}</span>
        </button>
      </th>
    );
  };

  if (experiments.data && !experiment) return <Alert tone="error" testId="experiment-missing">{t("noExperiment")}</Alert>;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <Link href="/experiments" className="text-sm text-accent hover:underline">← {t("back")}</Link>
        <h1 className="text-2xl font-bold" data-testid="experiment-name">{experiment?.name ?? "…"}</h1>
        {experiments.error && <Alert tone="error">{toMessage(experiments.error)}</Alert>}
      </div>
      <form onSubmit={onSearch} className="flex flex-col gap-1" data-testid="runs-search-form">
        <label htmlFor="runs-filter" className="text-sm font-medium">{t("searchLabel")}</label>
        <div className="flex flex-wrap gap-2">
          <input
            id="runs-filter"
            name="filter"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t("searchPlaceholder")}
            spellCheck={false}
            autoComplete="off"
            className="min-w-0 flex-1 rounded-md border border-stone-300 bg-white px-2.5 py-1.5 font-mono text-sm shadow-sm focus:border-accent"
            data-testid="runs-filter"
          />
          <Button type="submit" data-testid="runs-search">{t("search")}</Button>
          {(filter || draft) && (
            <Button type="button" variant="secondary" onClick={() => (setDraft(""), apply(""))}>{t("clear")}</Button>
          )}
          <ColumnPicker paramKeys={paramKeys} metricKeys={metricKeys} hidden={hiddenSet} onChange={setHidden} />
        </div>
        <span className="text-xs text-stone-500">{t("searchHint")}</span>
      </form>
      {first.error && <QueryErrorAlert error={first.error} />}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          disabled={!canCompare}
          onClick={() => router.push(`/runs/compare?ids=${selected.join(",")}`)}
          data-testid="compare-button"
        >
          {t("compare", { count: selected.length })}
        </Button>
        <span className="text-xs text-stone-500">{t("compareHint")}</span>
        {first.data && <span className="ml-auto text-sm text-stone-600" data-testid="runs-count">{t("count", { count: rows.length })}{nextToken ? "+" : ""}</span>}
      </div>
      {first.isPending && <p className="text-sm text-stone-500">{tc("loading")}</p>}
      {first.data && rows.length === 0 && <Card><p className="text-stone-600" data-testid="runs-empty">{filter ? t("empty") : t("emptyAll")}</p></Card>}
      {rows.length > 0 && (
        <Card className="overflow-x-auto p-0">
          <table className="w-full text-sm" data-testid="runs-table">
            <thead className="border-b border-stone-200 bg-stone-50 text-left text-xs text-stone-600">
              <tr>
                <th className="px-2 py-2">
                  <span className="sr-only">{t("select")}</span>
                </th>
                {sortHeader("attributes.run_name", t("run"))}
                {multiUser && <th className="px-2 py-2">{t("user")}</th>}
                {sortHeader("attributes.status", t("status"))}
                {sortHeader("attributes.start_time", t("start"))}
                {sortHeader("attributes.duration", t("duration"))}
                {sortHeader("attributes.backend", t("backend"))}
                {sortHeader("attributes.dataset_name", t("dataset"))}
                {shownParams.map((k) => sortHeader(mlflowKey("params", k), k, "border-l border-stone-200 bg-amber-50/40", true))}
                {shownMetrics.map((k) => sortHeader(mlflowKey("metrics", k), k, "border-l border-stone-200 bg-blue-50/40 text-right", true))}
              </tr>
            </thead>
            <tbody className="divide-y divide-stone-100">
              {rows.map((r) => (
                <RunRow
                  key={r.info.runId}
                  row={r}
                  multiUser={multiUser}
                  params={shownParams}
                  metrics={shownMetrics}
                  selected={selected.includes(r.info.runId)}
                  onToggle={() => toggle(r.info.runId)}
                  disabled={!selected.includes(r.info.runId) && selected.length >= MAX_COMPARE}
                />
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {pages.slice(1).map((p, i) => p.error && <QueryErrorAlert key={i} error={p.error} />)}
      {nextToken && (
        <Button variant="secondary" className="self-center" onClick={() => setPageTokens((ts) => [...ts, nextToken])} disabled={pages.some((p) => p.isFetching)}>
          {t("loadMore")}
        </Button>
      )}
    </div>
  );
}

function RunRow({
  row,
  multiUser,
  params,
  metrics,
  selected,
  onToggle,
  disabled,
}: {
  row: RunsTableRow;
  multiUser: boolean;
  params: string[];
  metrics: string[];
  selected: boolean;
  onToggle: () => void;
  disabled: boolean;
}) {
  const t = useTranslations("tracking.runs");
  const locale = useLocale();
  const i = row.info;
  return (
    <tr data-testid="run-row" data-run-id={i.runId} className={selected ? "bg-accent-soft" : "hover:bg-stone-50"}>
      <td className="px-2 py-1.5">
        <input type="checkbox" checked={selected} onChange={onToggle} disabled={disabled} aria-label={`${t("select")} ${i.runName}`} data-testid="run-select" />
      </td>
      <td className="whitespace-nowrap px-2 py-1.5">
        <Link href={`/runs/${i.runId}`} className="font-medium text-accent hover:underline" data-testid="run-link">{i.runName}</Link>
        {i.sharedWithClass && <span className="ml-1.5 rounded bg-green-50 px-1 text-xs text-green-800">{t("shared")}</span>}
      </td>
      {multiUser && <td className="whitespace-nowrap px-2 py-1.5">{i.userName}</td>}
      <td className="px-2 py-1.5"><StatusBadge status={i.status} /></td>
      <td className="whitespace-nowrap px-2 py-1.5 text-stone-600">{formatDateTime(i.startTime, locale)}</td>
      <td className="whitespace-nowrap px-2 py-1.5 tabular-nums text-stone-600">{formatDuration(i.startTime, i.endTime)}</td>
      <td className="whitespace-nowrap px-2 py-1.5 text-stone-600">{[i.backend, i.device].filter(Boolean).join(" · ") || "—"}</td>
      <td className="whitespace-nowrap px-2 py-1.5 text-stone-600" title={i.datasetHash ?? undefined}>{i.datasetName ?? "—"}</td>
      {params.map((k) => (
        <td key={k} className="max-w-48 truncate border-l border-stone-100 px-2 py-1.5 font-mono text-xs" title={row.params[k]} data-testid={`cell-params.${k}`}>
          {row.params[k] ?? "—"}
        </td>
      ))}
      {metrics.map((k) => (
        <td key={k} className="border-l border-stone-100 px-2 py-1.5 text-right font-mono text-xs tabular-nums" data-testid={`cell-metrics.${k}`}>
          {formatMetric(row.metrics[k])}
        </td>
      ))}
    </tr>
  );
}
