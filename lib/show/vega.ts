// Shared bits of the Vega-Lite specs that the show builders produce (v5 schema, data inline).

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

export type VegaLiteSpec = Record<string, unknown>;

export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
}

/** JSON has no NaN/Infinity: such points become null, which Vega-Lite skips as missing. */
export function finiteOrNull(v: unknown): number | null {
  const n = typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

export function baseSpec(opts: ChartOptions): VegaLiteSpec {
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    width: opts.width ?? 420,
    height: opts.height ?? 260,
  };
  if (opts.title) spec.title = opts.title;
  return spec;
}

/** Turns array-likes (arrays, typed arrays, tfjs tensors) into plain number arrays. */
export function toNumbers(values: ArrayLike<unknown> | Iterable<unknown>, what: string): number[] {
  if (values == null || typeof values !== "object") throw new TypeError(`${what} must be an array of numbers`);
  const t = values as { dataSync?: () => ArrayLike<unknown> };
  const src = typeof t.dataSync === "function" ? t.dataSync() : values;
  if (!Array.isArray(src) && !ArrayBuffer.isView(src) && typeof (src as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${what} must be an array of numbers`);
  }
  const arr = Array.isArray(src) ? src : Array.from(src as ArrayLike<unknown>);
  return arr.map((v) => (typeof v === "boolean" ? Number(v) : (finiteOrNull(v) ?? Number.NaN)));
}

export function fmt(n: number, digits = 4): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return Number(n.toPrecision(digits)).toString();
}

/** Nested arrays from a tfjs tensor (arraySync) or as given. */
export function toRows(m: unknown, what: string): number[][] {
  const t = m as { arraySync?: () => unknown };
  const v = typeof t?.arraySync === "function" ? t.arraySync() : m;
  if (!Array.isArray(v)) throw new TypeError(`${what} must be an array of rows`);
  return v.map((row) => toNumbers(row as ArrayLike<unknown>, what));
}
