// show.table: rows (objects or arrays) or a TableDataset → the Cuaderno table MIME type + text.

import type { MimeBundle, TableView } from "@/lib/notebook/types";

export interface TableOptions {
  title?: string;
  pageSize?: number;
  /** Column order/selection; defaults to the dataset's columns or the keys in order of appearance. */
  columns?: string[];
}

export const TABLE_MIME = "application/vnd.cuaderno.table+json";

type Row = Record<string, unknown> | unknown[];
export interface TableLike {
  kind: "table";
  name?: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

export function isTableLike(v: unknown): v is TableLike {
  const t = v as TableLike | null;
  return !!t && typeof t === "object" && t.kind === "table" && Array.isArray(t.columns) && Array.isArray(t.rows);
}

/** Table cells must survive JSON and structured clone: primitives stay, the rest becomes text. */
export function cellValue(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString();
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function tableView(data: TableLike | Row[], opts: TableOptions = {}): TableView {
  let columns: string[];
  let rows: unknown[][];
  const src: Row[] = isTableLike(data) ? data.rows : data;
  if (!Array.isArray(src)) throw new TypeError("show.table expects an array of rows or a TableDataset");
  if (opts.columns) columns = [...opts.columns];
  else if (isTableLike(data)) columns = [...data.columns];
  else if (src.length > 0 && src.every((r) => Array.isArray(r))) {
    const width = Math.max(0, ...src.map((r) => (r as unknown[]).length));
    columns = Array.from({ length: width }, (_, i) => String(i));
  } else {
    const seen = new Set<string>();
    for (const r of src) if (r && typeof r === "object" && !Array.isArray(r)) for (const k of Object.keys(r)) seen.add(k);
    columns = [...seen];
  }
  rows = src.map((r) => {
    if (Array.isArray(r)) return columns.map((_, i) => cellValue(r[i]));
    if (r && typeof r === "object") return columns.map((c) => cellValue((r as Record<string, unknown>)[c]));
    return columns.length ? [cellValue(r), ...columns.slice(1).map(() => null)] : [cellValue(r)];
  });
  if (columns.length === 0 && rows.some((r) => r.length)) columns = ["value"];
  const view: TableView = { columns, rows };
  const title = opts.title ?? (isTableLike(data) ? data.name : undefined);
  if (title) view.title = title;
  if (opts.pageSize) view.pageSize = opts.pageSize;
  return view;
}

/** A fixed-width text rendering of the first `maxRows` rows. */
export function tableText(view: TableView, maxRows = 10): string {
  const shown = view.rows.slice(0, maxRows).map((r) => r.map((c) => (c === null ? "null" : String(c))));
  const widths = view.columns.map((c, i) => Math.min(24, Math.max(c.length, ...shown.map((r) => (r[i] ?? "").length))));
  const cut = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + "…" : s.padEnd(w));
  const lines = [
    view.columns.map((c, i) => cut(c, widths[i])).join("  ").trimEnd(),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...shown.map((r) => r.map((c, i) => cut(c, widths[i])).join("  ").trimEnd()),
  ];
  if (view.rows.length > maxRows) lines.push(`… ${view.rows.length - maxRows} more rows`);
  const head = `${view.title ? view.title + " — " : ""}${view.rows.length} rows × ${view.columns.length} columns`;
  return [head, ...lines].join("\n");
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** An HTML table (escaped), for viewers that do not know the Cuaderno table type (Jupyter). */
export function tableHtml(view: TableView, maxRows = 50): string {
  const cell = (tag: string, v: unknown) => `<${tag}>${escapeHtml(v === null ? "null" : String(v))}</${tag}>`;
  const head = `<thead><tr>${view.columns.map((c) => cell("th", c)).join("")}</tr></thead>`;
  const body = view.rows
    .slice(0, maxRows)
    .map((r) => `<tr>${r.map((c) => cell("td", c)).join("")}</tr>`)
    .join("");
  const more = view.rows.length > maxRows ? `<p>… ${view.rows.length - maxRows} more rows</p>` : "";
  const caption = view.title ? `<caption>${escapeHtml(view.title)}</caption>` : "";
  return `<table>${caption}${head}<tbody>${body}</tbody></table>${more}`;
}

export function table(data: TableLike | Row[], opts: TableOptions = {}): MimeBundle {
  const view = tableView(data, opts);
  return { [TABLE_MIME]: view, "text/plain": tableText(view) };
}
