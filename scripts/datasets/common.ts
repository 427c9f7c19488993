// Shared plumbing of the dataset generators: hashing, writing content/datasets/ and keeping
// catalog.json in step with the bytes actually written.

import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Catalog, CatalogEntry, CatalogFile } from "../../lib/datasets/catalog";
import { datasetHashFromFiles, sha256Hex } from "../../lib/datasets/hash";
import type { Cell } from "../../lib/datasets/types";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DATASETS_DIR = path.join(ROOT, "content", "datasets");
export const CATALOG_PATH = path.join(DATASETS_DIR, "catalog.json");

/** Folder of an installed npm package (works for packages whose `exports` hide package.json). */
export function packageDir(name: string): string {
  for (const base of createRequire(import.meta.url).resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (existsSync(path.join(dir, "package.json"))) return dir;
  }
  throw new Error(`npm package "${name}" is not installed`);
}

/** Catalog order (lesson order of first use); unknown names go last, alphabetically. */
const ORDER = ["fraud", "magnet-signals", "split-200", "digits", "sales-daily", "seattle-weather", "cars"];

export interface GeneratedFile {
  file: string;
  role: CatalogFile["role"];
  contentType: string;
  bytes: Uint8Array;
}

export interface GeneratedDataset {
  entry: Omit<CatalogEntry, "files" | "sha256">;
  files: GeneratedFile[];
}

export const CSV_TYPE = "text/csv; charset=utf-8";
export const BIN_TYPE = "application/octet-stream";

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Class counts with keys in natural order (numeric keys numerically). */
export function countBy(values: readonly Cell[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) {
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = [...counts.keys()].sort((a, b) => {
    const na = Number(a);
    const nb = Number(b);
    if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = counts.get(k)!;
  return out;
}

/** Adds sizes and hashes: the catalog entry exactly as it will be written. */
export async function toCatalogEntry(dataset: GeneratedDataset): Promise<CatalogEntry> {
  const files: CatalogFile[] = [];
  for (const f of dataset.files) {
    files.push({
      file: f.file,
      role: f.role,
      contentType: f.contentType,
      bytes: f.bytes.byteLength,
      sha256: await sha256Hex(f.bytes),
    });
  }
  const { name, kind, title, description, origin, license, rows, columns, target, balance, image } =
    dataset.entry;
  return {
    name,
    kind,
    title,
    description,
    origin,
    license,
    files,
    sha256: await datasetHashFromFiles(files),
    rows,
    columns,
    target,
    balance,
    image,
  };
}

export async function readCatalog(): Promise<Catalog> {
  try {
    return JSON.parse(await readFile(CATALOG_PATH, "utf8")) as Catalog;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, datasets: [] };
    throw err;
  }
}

function orderOf(name: string): number {
  const i = ORDER.indexOf(name);
  return i < 0 ? ORDER.length : i;
}

/** Writes the dataset's files and replaces its entry in catalog.json. */
export async function writeDataset(dataset: GeneratedDataset): Promise<CatalogEntry> {
  await mkdir(DATASETS_DIR, { recursive: true });
  for (const f of dataset.files) await writeFile(path.join(DATASETS_DIR, f.file), f.bytes);
  const entry = await toCatalogEntry(dataset);
  const catalog = await readCatalog();
  const datasets = catalog.datasets.filter((d) => d.name !== entry.name);
  datasets.push(entry);
  datasets.sort((a, b) => orderOf(a.name) - orderOf(b.name) || (a.name < b.name ? -1 : 1));
  await writeFile(CATALOG_PATH, JSON.stringify({ version: 1, datasets }, null, 2) + "\n");
  return entry;
}

/** Runs `generate` and writes its output when the module is the script being executed. */
export function runIfMain(
  moduleUrl: string,
  generate: () => GeneratedDataset | GeneratedDataset[] | Promise<GeneratedDataset | GeneratedDataset[]>,
): void {
  const invoked = process.argv[1] ? path.resolve(process.argv[1]) : "";
  const self = fileURLToPath(moduleUrl);
  if (invoked !== self && invoked !== self.replace(/\.ts$/, "")) return;
  void (async () => {
    const generated = await generate();
    for (const dataset of Array.isArray(generated) ? generated : [generated]) {
      const entry = await writeDataset(dataset);
      const size = entry.files.map((f) => `${f.file} ${(f.bytes / 1024).toFixed(1)} KiB`).join(", ");
      console.log(`${entry.name}: ${entry.rows} rows; ${size}; balance ${JSON.stringify(entry.balance)}`);
    }
  })().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
