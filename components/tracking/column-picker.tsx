"use client";
// Which param and metric columns the runs table shows, with a box to filter long key lists.
import { useTranslations } from "next-intl";
import { useState } from "react";

export function ColumnPicker({
  paramKeys,
  metricKeys,
  hidden,
  onChange,
}: {
  paramKeys: string[];
  metricKeys: string[];
  hidden: Set<string>;
  onChange: (hidden: Set<string>) => void;
}) {
  const t = useTranslations("tracking.runs");
  const [q, setQ] = useState("");
  const all = [...paramKeys.map((k) => `params.${k}`), ...metricKeys.map((k) => `metrics.${k}`)];
  const match = (k: string) => k.toLowerCase().includes(q.trim().toLowerCase());
  const toggle = (id: string) => {
    const next = new Set(hidden);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };
  const shown = all.length - all.filter((k) => hidden.has(k)).length;
  const group = (title: string, prefix: string, keys: string[]) => {
    const visible = keys.filter((k) => match(`${prefix}.${k}`));
    if (!visible.length) return null;
    return (
      <fieldset className="flex flex-col gap-0.5">
        <legend className="mb-1 text-xs font-semibold uppercase tracking-wide text-stone-500">{title}</legend>
        {visible.map((k) => (
          <label key={k} className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={!hidden.has(`${prefix}.${k}`)} onChange={() => toggle(`${prefix}.${k}`)} data-testid={`column-toggle-${prefix}.${k}`} />
            <span className="font-mono text-xs">{k}</span>
          </label>
        ))}
      </fieldset>
    );
  };
  return (
    <details className="relative" data-testid="column-picker">
      <summary className="cursor-pointer list-none rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-stone-100">
        {t("columns")} ({shown}/{all.length})
      </summary>
      <div className="absolute right-0 z-20 mt-1 flex max-h-96 w-72 flex-col gap-3 overflow-y-auto rounded-md border border-stone-200 bg-white p-3 shadow-lg">
        <input
          value={q}
          onChange={(e) => setQ(e.target.value)}
          placeholder={t("columnsFilter")}
          aria-label={t("columnsFilter")}
          className="rounded-md border border-stone-300 px-2 py-1 text-sm"
        />
        <div className="flex gap-2 text-xs">
          <button type="button" className="text-accent underline" onClick={() => onChange(new Set([...hidden].filter((k) => !match(k))))}>
            {t("showAll")}
          </button>
          <button type="button" className="text-accent underline" onClick={() => onChange(new Set([...hidden, ...all.filter(match)]))}>
            {t("showNone")}
          </button>
        </div>
        {group(t("params"), "params", paramKeys)}
        {group(t("metrics"), "metrics", metricKeys)}
      </div>
    </details>
  );
}
