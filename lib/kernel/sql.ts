// The `sql` global's engine: DuckDB-Wasm from self-hosted bundles (/vendor/duckdb), started on
// first use inside the kernel worker. Tables loaded with data.load become tables by name;
// results come back as TableDatasets.

import type { Dataset, Row } from "@/lib/datasets/types";
import { toTableDataset } from "./data";
import { VENDOR_BASE } from "./backends";
import type { SqlEngine } from "./runtime";

interface ArrowLikeTable {
  schema: { fields: { name: string }[] };
  toArray(): { toJSON(): Record<string, unknown> }[];
}

function plainValue(v: unknown): Row[string] {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object" && v !== null && "valueOf" in v) {
    const p = (v as { valueOf(): unknown }).valueOf();
    if (typeof p === "number" || typeof p === "bigint") return Number(p);
  }
  return String(v);
}

export function arrowToDataset(table: ArrowLikeTable, name = "query") {
  const columns = table.schema.fields.map((f) => f.name);
  const rows = table.toArray().map((r) => {
    const o = r.toJSON();
    const row: Row = {};
    for (const c of columns) row[c] = plainValue(o[c]);
    return row;
  });
  return toTableDataset(name, columns, rows);
}

function csvField(v: Row[string]): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: string[], rows: Row[]): string {
  const lines = [columns.map((c) => csvField(c)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c] ?? null)).join(","));
  return lines.join("\n") + "\n";
}

/** SQL identifier for a dataset name ("magnet-signals" is also reachable as magnet_signals). */
export function tableIdentifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

export async function createDuckDbEngine(base = `${VENDOR_BASE}/duckdb`): Promise<SqlEngine> {
  const duckdb = await import("@duckdb/duckdb-wasm");
  const origin = globalThis.location?.origin ?? "";
  const bundles = {
    mvp: { mainModule: `${origin}${base}/duckdb-mvp.wasm`, mainWorker: `${origin}${base}/duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${origin}${base}/duckdb-eh.wasm`, mainWorker: `${origin}${base}/duckdb-browser-eh.worker.js` },
  };
  const bundle = await duckdb.selectBundle(bundles);
  const worker = new Worker(bundle.mainWorker!);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  const conn = await db.connect();

  return {
    async query(text: string, params: unknown[] = []) {
      const result = params.length
        ? await (await conn.prepare(text)).query(...params)
        : await conn.query(text);
      return arrowToDataset(result as unknown as ArrowLikeTable);
    },
    async registerDataset(ds: Dataset) {
      if (ds.kind !== "table") return;
      const id = tableIdentifier(ds.name);
      const file = `${id}.csv`;
      await conn.query(`DROP VIEW IF EXISTS "${ds.name.replace(/"/g, '""')}"`).catch(() => undefined);
      await conn.query(`DROP TABLE IF EXISTS ${id}`);
      // CSV, because the JSON reader is an extension DuckDB would fetch from its CDN.
      await db.registerFileText(file, toCsv(ds.columns, ds.rows));
      await conn.insertCSVFromPath(file, { name: id, header: true, detect: true });
      await db.dropFile(file);
      if (id !== ds.name) await conn.query(`CREATE VIEW "${ds.name.replace(/"/g, '""')}" AS SELECT * FROM ${id}`);
    },
  };
}
