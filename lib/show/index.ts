// The public surface of lib/show: pure builders behind the kernel's `show` global, and
// formatValue for a cell's last expression. Each builder returns a MIME bundle.

export { table, tableView, tableText, tableHtml, isTableLike, TABLE_MIME } from "./table";
export type { TableOptions, TableLike } from "./table";
export { line, scatter, bar, histogram, history, confusion } from "./charts";
export { lineSpec, scatterSpec, barSpec, histogramSpec, historySpec, confusionSpec, histogramBins } from "./charts";
export type { LineData, ScatterData, BarData, HistogramOptions, HistoryEntry, HistoryOptions } from "./charts";
export { roc, pr, rocCurve, prCurve, rocSpec, prSpec } from "./curves";
export type { RocCurve, PrCurve } from "./curves";
export { images, imageGrid } from "./images";
export type { ImagesOptions, ImagesInput } from "./images";
export { encodePng, toBase64, PNG_SIGNATURE } from "./png";
export type { RawImage } from "./png";
export { tensor, tensorView, tensorText, isTensorLike, TENSOR_MIME } from "./tensor";
export type { TensorLike } from "./tensor";
export { markdown, html, json, toJsonSafe } from "./text";
export { formatValue } from "./format";
export { VEGA_LITE_MIME, VEGA_LITE_SCHEMA } from "./vega";
export type { ChartOptions, VegaLiteSpec } from "./vega";
