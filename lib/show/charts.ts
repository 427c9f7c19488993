// show.line / scatter / bar / histogram / history / confusion → Vega-Lite v5 specs (data inline).

import type { MimeBundle } from "@/lib/notebook/types";
import { VEGA_LITE_MIME, baseSpec, finiteOrNull, fmt, toNumbers, toRows, type ChartOptions, type VegaLiteSpec } from "./vega";

function bundle(spec: VegaLiteSpec, text: string): MimeBundle {
  return { [VEGA_LITE_MIME]: spec, "text/plain": text };
}

function summary(values: number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "no finite values";
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return `min ${fmt(min)}, max ${fmt(max)}, last ${fmt(finite[finite.length - 1])}`;
}

export interface LineData {
  x?: ArrayLike<number>;
  series: Record<string, ArrayLike<number>>;
}

export function lineSpec(data: LineData, opts: ChartOptions = {}): VegaLiteSpec {
  const names = Object.keys(data.series ?? {});
  if (names.length === 0) throw new TypeError("show.line needs at least one series: { x, series: { name: values } }");
  const series = names.map((n) => toNumbers(data.series[n], `series "${n}"`));
  const n = Math.max(...series.map((s) => s.length));
  const x = data.x ? toNumbers(data.x, "x") : Array.from({ length: n }, (_, i) => i);
  const values: Record<string, unknown>[] = [];
  names.forEach((name, k) => {
    series[k].forEach((v, i) => values.push({ x: finiteOrNull(x[i]), series: name, value: finiteOrNull(v) }));
  });
  return {
    ...baseSpec(opts),
    data: { values },
    mark: { type: "line", point: n <= 60, tooltip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: opts.xLabel ?? "x" },
      y: { field: "value", type: "quantitative", title: opts.yLabel ?? (names.length === 1 ? names[0] : "value") },
      color: { field: "series", type: "nominal", title: null },
    },
  };
}

export function line(data: LineData, opts: ChartOptions = {}): MimeBundle {
  const spec = lineSpec(data, opts);
  const text = Object.entries(data.series)
    .map(([name, v]) => `${name}: ${summary(toNumbers(v, name))}`)
    .join("\n");
  return bundle(spec, `${opts.title ? opts.title + "\n" : ""}line chart\n${text}`);
}

export interface ScatterData {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: ArrayLike<string | number>;
}

export function scatterSpec(data: ScatterData, opts: ChartOptions = {}): VegaLiteSpec {
  const x = toNumbers(data.x, "x");
  const y = toNumbers(data.y, "y");
  if (x.length !== y.length) throw new RangeError(`show.scatter: x has ${x.length} values but y has ${y.length}`);
  const color = data.color ? Array.from(data.color) : undefined;
  const values = x.map((xi, i) => {
    const p: Record<string, unknown> = { x: finiteOrNull(xi), y: finiteOrNull(y[i]) };
    if (color) p.color = color[i] ?? null;
    return p;
  });
  const encoding: Record<string, unknown> = {
    x: { field: "x", type: "quantitative", title: opts.xLabel ?? "x", scale: { zero: false } },
    y: { field: "y", type: "quantitative", title: opts.yLabel ?? "y", scale: { zero: false } },
  };
  if (color) {
    // Few distinct values (labels, classes) read better as categories than as a gradient.
    const distinct = new Set(color).size;
    const numeric = color.every((c) => typeof c === "number");
    encoding.color = { field: "color", type: numeric && distinct > 10 ? "quantitative" : "nominal", title: null };
  }
  return {
    ...baseSpec(opts),
    data: { values },
    mark: { type: "point", filled: true, opacity: x.length > 2000 ? 0.4 : 0.8, size: x.length > 2000 ? 12 : 30 },
    encoding,
  };
}

export function scatter(data: ScatterData, opts: ChartOptions = {}): MimeBundle {
  const spec = scatterSpec(data, opts);
  return bundle(spec, `${opts.title ? opts.title + "\n" : ""}scatter plot of ${(spec.data as { values: unknown[] }).values.length} points`);
}

export interface BarData {
  labels: ArrayLike<string | number>;
  values: ArrayLike<number>;
}

export function barSpec(data: BarData, opts: ChartOptions = {}): VegaLiteSpec {
  const labels = Array.from(data.labels as ArrayLike<string | number>, String);
  const v = toNumbers(data.values, "values");
  if (labels.length !== v.length) throw new RangeError(`show.bar: ${labels.length} labels but ${v.length} values`);
  return {
    ...baseSpec(opts),
    data: { values: labels.map((label, i) => ({ label, value: finiteOrNull(v[i]) })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "label", type: "nominal", sort: null, title: opts.xLabel ?? null },
      y: { field: "value", type: "quantitative", title: opts.yLabel ?? "value" },
    },
  };
}

export function bar(data: BarData, opts: ChartOptions = {}): MimeBundle {
  const spec = barSpec(data, opts);
  const rows = (spec.data as { values: { label: string; value: number | null }[] }).values;
  return bundle(spec, `${opts.title ? opts.title + "\n" : ""}${rows.map((r) => `${r.label}: ${r.value}`).join("\n")}`);
}

export interface HistogramOptions extends ChartOptions {
  bins?: number;
}

export interface HistogramBins {
  edges: number[];
  counts: number[];
}

/** Equal-width bins over [min, max]; the last bin includes max (numpy's convention). */
export function histogramBins(values: number[], bins = 20): HistogramBins {
  const finite = values.filter(Number.isFinite);
  const k = Math.max(1, Math.floor(bins));
  if (finite.length === 0) return { edges: [], counts: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const width = (max - min) / k;
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? max : min + i * width));
  const counts = new Array<number>(k).fill(0);
  for (const v of finite) counts[Math.min(k - 1, Math.floor((v - min) / width))]++;
  return { edges, counts };
}

export function histogramSpec(values: ArrayLike<number>, opts: HistogramOptions = {}): VegaLiteSpec {
  const { edges, counts } = histogramBins(toNumbers(values, "values"), opts.bins ?? 20);
  return {
    ...baseSpec(opts),
    data: { values: counts.map((count, i) => ({ start: edges[i], end: edges[i + 1], count })) },
    mark: { type: "bar", tooltip: true },
    encoding: {
      x: { field: "start", type: "quantitative", bin: { binned: true }, title: opts.xLabel ?? "value" },
      x2: { field: "end" },
      y: { field: "count", type: "quantitative", title: opts.yLabel ?? "count" },
    },
  };
}

export function histogram(values: ArrayLike<number>, opts: HistogramOptions = {}): MimeBundle {
  const nums = toNumbers(values, "values");
  const spec = histogramSpec(nums, opts);
  return bundle(spec, `${opts.title ? opts.title + "\n" : ""}histogram of ${nums.length} values (${summary(nums)})`);
}

export interface HistoryEntry {
  epoch: number;
  logs: Record<string, number>;
}
export interface HistoryOptions extends ChartOptions {
  /** Which logged metrics to draw (their `val_` twins come along); default: all. */
  metrics?: string[];
}

/**
 * The live training chart: the kernel accumulates `{epoch, logs}` from tfjs's onEpochEnd and
 * calls this again on every epoch, updating the same display id. Colour is the metric,
 * dash tells training from validation.
 */
export function historySpec(entries: HistoryEntry[], opts: HistoryOptions = {}): VegaLiteSpec {
  const wanted = opts.metrics ? new Set(opts.metrics.flatMap((m) => [m, `val_${m}`])) : null;
  const values: Record<string, unknown>[] = [];
  for (const { epoch, logs } of entries) {
    for (const [key, v] of Object.entries(logs ?? {})) {
      if (wanted && !wanted.has(key)) continue;
      const validation = key.startsWith("val_");
      values.push({
        epoch,
        metric: validation ? key.slice(4) : key,
        split: validation ? "validation" : "training",
        value: finiteOrNull(v),
      });
    }
  }
  return {
    ...baseSpec(opts),
    data: { values },
    mark: { type: "line", point: entries.length <= 40, tooltip: true },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: opts.xLabel ?? "epoch", axis: { tickMinStep: 1 } },
      y: { field: "value", type: "quantitative", title: opts.yLabel ?? null },
      color: { field: "metric", type: "nominal", title: null },
      strokeDash: { field: "split", type: "nominal", title: null },
    },
  };
}

export function history(entries: HistoryEntry[], opts: HistoryOptions = {}): MimeBundle {
  const spec = historySpec(entries, opts);
  const last = entries[entries.length - 1];
  const text = last
    ? `epoch ${last.epoch}: ${Object.entries(last.logs)
        .filter(([k]) => !opts.metrics || opts.metrics.some((m) => k === m || k === `val_${m}`))
        .map(([k, v]) => `${k}=${fmt(v)}`)
        .join(" ")}`
    : "no epochs yet";
  return bundle(spec, `${opts.title ? opts.title + "\n" : ""}${text}`);
}

/** Confusion matrix: rows are the true class, columns the predicted one. */
export function confusionSpec(
  matrixIn: number[][],
  labels: ArrayLike<string | number>,
  opts: ChartOptions = {},
): VegaLiteSpec {
  const matrix = toRows(matrixIn, "matrix");
  const names = Array.from(labels, String);
  if (matrix.length !== names.length || matrix.some((r) => r.length !== names.length)) {
    throw new RangeError(`show.confusion: expected a ${names.length}×${names.length} matrix for ${names.length} labels`);
  }
  const values: Record<string, unknown>[] = [];
  let max = 0;
  matrix.forEach((row, i) =>
    row.forEach((count, j) => {
      values.push({ actual: names[i], predicted: names[j], count });
      if (count > max) max = count;
    }),
  );
  const size = Math.max(160, Math.min(420, 60 * names.length));
  return {
    ...baseSpec({ ...opts, width: opts.width ?? size, height: opts.height ?? size }),
    data: { values },
    encoding: {
      x: { field: "predicted", type: "nominal", sort: names, title: opts.xLabel ?? "predicted", axis: { labelAngle: 0 } },
      y: { field: "actual", type: "nominal", sort: names, title: opts.yLabel ?? "actual" },
    },
    layer: [
      {
        mark: { type: "rect", tooltip: true },
        encoding: { color: { field: "count", type: "quantitative", scale: { scheme: "blues" }, title: "count" } },
      },
      {
        mark: { type: "text", fontSize: 13 },
        encoding: {
          text: { field: "count", type: "quantitative" },
          color: { condition: { test: `datum.count > ${max / 2}`, value: "white" }, value: "black" },
        },
      },
    ],
  };
}

export function confusion(matrixIn: number[][], labels: ArrayLike<string | number>, opts: ChartOptions = {}): MimeBundle {
  const spec = confusionSpec(matrixIn, labels, opts);
  const matrix = toRows(matrixIn, "matrix");
  const names = Array.from(labels, String);
  const w = Math.max(6, ...names.map((n) => n.length), ...matrix.flat().map((c) => String(c).length));
  const text = [
    `${opts.title ? opts.title + "\n" : ""}confusion matrix (rows: actual, columns: predicted)`,
    ["".padEnd(w), ...names.map((n) => n.padStart(w))].join(" "),
    ...matrix.map((row, i) => [names[i].padEnd(w), ...row.map((c) => String(c).padStart(w))].join(" ")),
  ].join("\n");
  return bundle(spec, text);
}
