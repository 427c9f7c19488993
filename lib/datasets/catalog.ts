// Typed view of content/datasets/catalog.json, which the generator scripts write (sizes, hashes
// and class balance are computed there, never typed by hand).

import catalogJson from "../../content/datasets/catalog.json";

export interface LocalizedText {
  es: string;
  en: string;
}

export type CatalogColumnType = "number" | "integer" | "string" | "date" | "boolean";

export interface CatalogColumn {
  name: string;
  type: CatalogColumnType;
  description: LocalizedText;
}

export interface CatalogFile {
  file: string;
  role: "data" | "images" | "labels";
  contentType: string;
  bytes: number;
  sha256: string;
}

export interface CatalogOrigin {
  kind: "generated" | "real";
  /** Script that wrote the committed file(s), e.g. scripts/datasets/fraud.ts. */
  script: string;
  /** Seed of the generator (generated data) or of the row shuffle (real data), when there is one. */
  seed: number | null;
  /** Where real data comes from (package and upstream source). */
  source: string | null;
  notes: LocalizedText;
}

export interface CatalogLicense {
  name: string;
  url: string | null;
  notes: string | null;
}

export interface CatalogEntry {
  name: string;
  kind: "table" | "images";
  title: LocalizedText;
  description: LocalizedText;
  origin: CatalogOrigin;
  license: CatalogLicense;
  files: CatalogFile[];
  /** Dataset-level SHA-256 (see datasetHashFromFiles). */
  sha256: string;
  rows: number;
  columns: CatalogColumn[];
  /** Column (or "label" for images) usually predicted; null when the lesson chooses. */
  target: string | null;
  /** Counts per class of `target`, computed from the data. */
  balance: Record<string, number> | null;
  image: { height: number; width: number; pixelFormat: "uint8" } | null;
}

export interface Catalog {
  version: 1;
  datasets: CatalogEntry[];
}

export const catalog = catalogJson as Catalog;

/** All datasets, in catalog order. */
export function listDatasets(): CatalogEntry[] {
  return catalog.datasets.slice();
}

export function findDataset(name: string): CatalogEntry | undefined {
  return catalog.datasets.find((d) => d.name === name);
}

export function getDatasetOrThrow(name: string): CatalogEntry {
  const entry = findDataset(name);
  if (!entry) {
    throw new Error(`Unknown dataset "${name}". Available: ${catalog.datasets.map((d) => d.name).join(", ")}`);
  }
  return entry;
}

/** The catalog file record for a served file name (e.g. "fraud.csv"), if the catalog lists it. */
export function findCatalogFile(file: string): { entry: CatalogEntry; file: CatalogFile } | undefined {
  for (const entry of catalog.datasets) {
    const f = entry.files.find((x) => x.file === file);
    if (f) return { entry, file: f };
  }
  return undefined;
}
