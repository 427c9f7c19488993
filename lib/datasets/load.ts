// Fetches a catalog dataset from /datasets/<file>?v=<sha256> and turns it into the TableDataset or
// ImageDataset that cells use; checks the bytes against the catalog hash and remembers the hash
// for experiment tracking. Runs in the kernel worker and in Node (tests, server).

import { getDatasetOrThrow, type CatalogEntry, type CatalogFile } from "./catalog";
import { parseCsv, type ColumnType } from "./csv";
import { datasetHashFromFiles, sha256Hex } from "./hash";
import { decodeImages } from "./images";
import { toTableDataset } from "./table";
import type { Dataset } from "./types";

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface LoadDatasetOptions {
  /** URL prefix the files are served under (default "/datasets"). */
  baseUrl?: string;
  /** Compare each file's SHA-256 with the catalog and throw on mismatch (default true). */
  verify?: boolean;
}

export interface LoadedFile {
  file: string;
  bytes: number;
  sha256: string;
}

export interface LoadedDataset {
  dataset: Dataset;
  entry: CatalogEntry;
  /** Dataset-level content hash (the one experiment tracking records). */
  sha256: string;
  files: LoadedFile[];
}

const hashes = new WeakMap<Dataset, string>();

/** The content hash of a dataset returned by loadDataset (undefined for hand-made datasets). */
export function getDatasetHash(dataset: Dataset): string | undefined {
  return hashes.get(dataset);
}

/** Cache-busting URL of a catalog file: immutable as long as the hash matches. */
export function datasetFileUrl(file: Pick<CatalogFile, "file" | "sha256">, baseUrl = "/datasets"): string {
  return `${baseUrl.replace(/\/$/, "")}/${encodeURIComponent(file.file)}?v=${file.sha256}`;
}

const defaultFetch: FetchFn = (input, init) => fetch(input, init);

async function fetchBytes(
  entry: CatalogEntry,
  file: CatalogFile,
  fetchFn: FetchFn,
  options: LoadDatasetOptions,
): Promise<{ bytes: Uint8Array; info: LoadedFile }> {
  const url = datasetFileUrl(file, options.baseUrl);
  const response = await fetchFn(url);
  if (!response.ok) {
    throw new Error(`Dataset "${entry.name}": GET ${url} failed with HTTP ${response.status}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const sha256 = await sha256Hex(bytes);
  if ((options.verify ?? true) && sha256 !== file.sha256) {
    throw new Error(
      `Dataset "${entry.name}": ${file.file} does not match the catalog (got sha256 ${sha256.slice(0, 12)}…, ` +
        `expected ${file.sha256.slice(0, 12)}…). Reload the page to get the current catalog.`,
    );
  }
  return { bytes, info: { file: file.file, bytes: bytes.byteLength, sha256 } };
}

function csvTypes(entry: CatalogEntry): Record<string, ColumnType> {
  const types: Record<string, ColumnType> = {};
  for (const c of entry.columns) {
    types[c.name] = c.type === "number" || c.type === "integer" ? "number" : c.type === "boolean" ? "boolean" : "string";
  }
  return types;
}

function fileWithRole(entry: CatalogEntry, role: CatalogFile["role"]): CatalogFile {
  const file = entry.files.find((f) => f.role === role);
  if (!file) throw new Error(`Dataset "${entry.name}": the catalog lists no ${role} file`);
  return file;
}

/** Loads a dataset and returns it with its catalog entry and content hashes. */
export async function loadDatasetWithInfo(
  name: string,
  fetchFn: FetchFn = defaultFetch,
  options: LoadDatasetOptions = {},
): Promise<LoadedDataset> {
  const entry = getDatasetOrThrow(name);
  let dataset: Dataset;
  let files: LoadedFile[];

  if (entry.kind === "images") {
    if (!entry.image) throw new Error(`Dataset "${name}": the catalog has no image shape`);
    const [pixels, labels] = await Promise.all([
      fetchBytes(entry, fileWithRole(entry, "images"), fetchFn, options),
      fetchBytes(entry, fileWithRole(entry, "labels"), fetchFn, options),
    ]);
    dataset = decodeImages({
      name,
      height: entry.image.height,
      width: entry.image.width,
      pixels: pixels.bytes,
      labels: labels.bytes,
    });
    files = [pixels.info, labels.info];
  } else {
    const data = await fetchBytes(entry, fileWithRole(entry, "data"), fetchFn, options);
    const parsed = parseCsv(new TextDecoder().decode(data.bytes), { types: csvTypes(entry) });
    dataset = toTableDataset(name, parsed.columns, parsed.rows);
    files = [data.info];
  }

  const sha256 = await datasetHashFromFiles(files);
  hashes.set(dataset, sha256);
  return { dataset, entry, sha256, files };
}

/** `data.load(name)`: the TableDataset or ImageDataset named in the catalog. */
export async function loadDataset(
  name: string,
  fetchFn: FetchFn = defaultFetch,
  options: LoadDatasetOptions = {},
): Promise<Dataset> {
  return (await loadDatasetWithInfo(name, fetchFn, options)).dataset;
}

