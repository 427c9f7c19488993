// Vega-Lite specs for the tracking pages (pure): a metric's curve by step, several runs'
// curves overlaid, and parallel coordinates over params and metrics. Data is inline and uses
// fixed field names, so metric and param keys with dots or spaces need no escaping.
import type { MetricPoint } from "@/lib/server/services/tracking/values";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
type Spec = Record<string, unknown>;

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/** One metric of one run: value by step, points shown when there are few of them. */
export function metricLineSpec(key: string, points: MetricPoint[], labels: { step: string; value: string }): Spec {
  const values = [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp).map((p) => ({ step: p.step, value: finite(p.value) }));
  return {
    $schema: SCHEMA,
    description: key,
    width: "container",
    height: 200,
    autosize: { type: "fit", contains: "padding" },
    title: { text: key, fontSize: 13, anchor: "start" },
    data: { values },
    mark: { type: "line", point: values.length <= 60, tooltip: true, color: "#2457c5" },
    encoding: {
      x: { field: "step", type: "quantitative", title: labels.step, axis: { tickMinStep: 1, format: "~d" } },
      y: { field: "value", type: "quantitative", title: labels.value, scale: { zero: false } },
    },
  };
}

/** One metric across runs: one coloured line per run. */
export function overlaidSpec(key: string, series: { run: string; points: MetricPoint[] }[], labels: { step: string; value: string; run: string }): Spec {
  const values = series.flatMap((s) =>
    [...s.points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp).map((p) => ({ run: s.run, step: p.step, value: finite(p.value) })),
  );
  const few = values.length <= 200;
  return {
    $schema: SCHEMA,
    description: key,
    width: "container",
    height: 220,
    autosize: { type: "fit", contains: "padding" },
    title: { text: key, fontSize: 13, anchor: "start" },
    data: { values },
    mark: { type: "line", point: few, tooltip: true },
    encoding: {
      x: { field: "step", type: "quantitative", title: labels.step, axis: { tickMinStep: 1, format: "~d" } },
      y: { field: "value", type: "quantitative", title: labels.value, scale: { zero: false } },
      color: { field: "run", type: "nominal", title: labels.run, sort: series.map((s) => s.run) },
    },
  };
}

export interface ParallelRun {
  run: string;
  values: Record<string, string | number | undefined>;
}

/**
 * Parallel coordinates: runs folded into (axis, value) rows, each axis normalised to [0, 1]
 * over these runs by Vega-Lite's joinaggregate. Text params become category codes, numeric
 * strings ("0.01") numbers. Axes where every run has the same value carry no information and
 * are kept only when nothing else varies.
 */
export function parallelSpec(axes: string[], runs: ParallelRun[], labels: { run: string; axis: string; value: string }): Spec | null {
  const rows: { run: string; axis: string; v: number; label: string; num: boolean }[] = [];
  const used: string[] = [];
  for (const axis of axes) {
    const raw = runs.map((r) => r.values[axis]);
    if (raw.filter((v) => v !== undefined).length < 2) continue;
    const numeric = raw.every((v) => v === undefined || (typeof v === "number" ? Number.isFinite(v) : v.trim() !== "" && Number.isFinite(Number(v))));
    const cats = numeric ? [] : [...new Set(raw.filter((v): v is string | number => v !== undefined).map(String))].sort();
    runs.forEach((r, i) => {
      const v = raw[i];
      if (v === undefined) return;
      rows.push({ run: r.run, axis, v: numeric ? Number(v) : cats.indexOf(String(v)), label: typeof v === "number" ? String(Number(v.toPrecision(5))) : String(v), num: numeric });
    });
    used.push(axis);
  }
  if (used.length < 2) return null;
  return {
    $schema: SCHEMA,
    width: "container",
    height: 260,
    autosize: { type: "fit", contains: "padding" },
    data: { values: rows },
    transform: [
      { joinaggregate: [{ op: "min", field: "v", as: "lo" }, { op: "max", field: "v", as: "hi" }], groupby: ["axis"] },
      { calculate: "datum.hi === datum.lo ? 0.5 : (datum.v - datum.lo) / (datum.hi - datum.lo)", as: "norm" },
    ],
    encoding: { x: { field: "axis", type: "nominal", sort: used, axis: { title: null, labelAngle: 0, labelPadding: 16, domain: false, ticks: false, labelLimit: 160 } } },
    layer: [
      { mark: { type: "rule", color: "#c8c4b8" }, encoding: { detail: { aggregate: "count" } } },
      ...(["max", "min"] as const).map((op) => ({
        // The range of each numeric axis, written at its ends.
        transform: [{ filter: "datum.num" }, { aggregate: [{ op, field: "v", as: `${op}_v` }], groupby: ["axis"] }],
        mark: { type: "text", fontSize: 10, color: "#6b6b6b", dy: op === "max" ? -8 : 10 },
        encoding: { y: { datum: op === "max" ? 1 : 0, type: "quantitative", axis: null }, text: { field: `${op}_v`, type: "quantitative", format: ".4~g" } },
      })),
      {
        mark: { type: "line", strokeWidth: 2, opacity: 0.85 },
        encoding: {
          y: { field: "norm", type: "quantitative", axis: null, scale: { domain: [0, 1] } },
          color: { field: "run", type: "nominal", title: labels.run, sort: runs.map((r) => r.run) },
          detail: { field: "run", type: "nominal" },
        },
      },
      {
        mark: { type: "point", filled: true, size: 40 },
        encoding: {
          y: { field: "norm", type: "quantitative", axis: null },
          color: { field: "run", type: "nominal", title: labels.run, sort: runs.map((r) => r.run) },
          tooltip: [
            { field: "run", title: labels.run },
            { field: "axis", title: labels.axis },
            { field: "label", title: labels.value },
          ],
        },
      },
    ],
  };
}
