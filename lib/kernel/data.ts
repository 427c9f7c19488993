// The `data` global: `await data.load(name)` fetches /datasets/<name>.csv from the app (or takes
// a dataset the page registered) and returns a TableDataset as content/lessons/README.md defines
// it. A fuller loader (images, catalog) can be plugged in with `loader`.

import type { Dataset, Row, TableDataset } from "@/lib/datasets/types";

export type DatasetLoader = (name: string) => Promise<Dataset>;

export interface DataApiOptions {
  fetch?: typeof fetch;
  /** Prefix of the served files; "" means same origin. */
  baseUrl?: string;
  /** Replaces the built-in CSV loader (e.g. lib/datasets' loader). */
  loader?: DatasetLoader;
  /** Loads `challenge:<id>` names: a class challenge's test features (lib/kernel/challenge.ts). */
  challengeLoader?: DatasetLoader;
  /** Told about every table loaded (the SQL engine registers it). */
  onLoad?(dataset: Dataset): void;
}

export interface DataApi {
  load(name: string): Promise<Dataset>;
  list(): string[];
  /** Used by the page (registerDataset) and tests. */
  register(dataset: Dataset): void;
}

export function toTableDataset(name: string, columns: string[], rows: Row[]): TableDataset {
  return {
    kind: "table",
    name,
    columns,
    rows,
    column(col: string) {
      if (!columns.includes(col)) throw new Error(`Dataset ${name} has no column "${col}"`);
      return rows.map((r) => r[col] ?? null);
    },
    matrix(cols: string[]) {
      for (const c of cols) if (!columns.includes(c)) throw new Error(`Dataset ${name} has no column "${c}"`);
      return rows.map((r) =>
        cols.map((c) => {
          const v = r[c];
          if (v === null || v === undefined) return NaN;
          if (typeof v === "boolean") return v ? 1 : 0;
          if (typeof v === "number") return v;
          throw new Error(`Column "${c}" of ${name} holds text ("${v}"), not numbers`);
        }),
      );
    },
  };
}

/** RFC-4180-ish CSV: quoted fields, "" escapes, CRLF. */
export function splitCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || record.length) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** Columns whose every non-empty value is numeric become numbers; true/false become booleans. */
export function parseCsvDataset(name: string, text: string): TableDataset {
  const [header, ...records] = splitCsv(text);
  if (!header) return toTableDataset(name, [], []);
  const kinds = header.map((_, j) => {
    let numeric = true;
    let boolean = true;
    for (const r of records) {
      const v = r[j] ?? "";
      if (v === "") continue;
      if (numeric && !Number.isFinite(Number(v))) numeric = false;
      if (boolean && v !== "true" && v !== "false") boolean = false;
      if (!numeric && !boolean) break;
    }
    return numeric ? "number" : boolean ? "boolean" : "string";
  });
  const rows = records.map((r) => {
    const row: Row = {};
    header.forEach((col, j) => {
      const v = r[j] ?? "";
      row[col] = v === "" ? null : kinds[j] === "number" ? Number(v) : kinds[j] === "boolean" ? v === "true" : v;
    });
    return row;
  });
  return toTableDataset(name, header, rows);
}

export function createDataApi(options: DataApiOptions = {}): DataApi {
  const loaded = new Map<string, Promise<Dataset>>();
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.baseUrl ?? "";

  const csvLoader: DatasetLoader = async (name) => {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`Invalid dataset name "${name}"`);
    const res = await doFetch(`${base}/datasets/${name}.csv`);
    if (!res.ok) throw new Error(`Dataset "${name}" could not be loaded (HTTP ${res.status})`);
    return parseCsvDataset(name, await res.text());
  };
  const loader = options.loader ?? csvLoader;

  return {
    load(name: string) {
      let p = loaded.get(name);
      if (!p) {
        const load = name.startsWith("challenge:") && options.challengeLoader ? options.challengeLoader : loader;
        p = load(name).then((ds) => {
          options.onLoad?.(ds);
          return ds;
        });
        loaded.set(name, p);
        p.catch(() => loaded.delete(name));
      }
      return p;
    },
    list() {
      return [...loaded.keys()];
    },
    register(dataset: Dataset) {
      loaded.set(dataset.name, Promise.resolve(dataset));
      options.onLoad?.(dataset);
    },
  };
}
