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

/** Turns array-likes (arrays, typed arrays) into plain number arrays. */
export function toNumbers(values: ArrayLike<unknown> | Iterable<unknown>, what: string): number[] {
  if (values == null || typeof values === "string") throw new TypeError(`${what} must be an array of numbers`);
  const arr = Array.isArray(values) ? values : Array.from(values as ArrayLike<unknown>);
  return arr.map((v) => (typeof v === "boolean" ? Number(v) : (finiteOrNull(v) ?? Number.NaN)));
}

export function fmt(n: number, digits = 4): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  return Number(n.toPrecision(digits)).toString();
}
