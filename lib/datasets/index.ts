// Public surface of the datasets library (kernel `data` global, tracking, server route).

export type { Cell, Dataset, ImageDataset, Row, TableDataset } from "./types";
export type { Catalog, CatalogColumn, CatalogEntry, CatalogFile, LocalizedText } from "./catalog";
export { catalog, findCatalogFile, findDataset, getDatasetOrThrow, listDatasets } from "./catalog";
export { formatCsv, parseCsv, roundTo, type ColumnType, type ParseCsvOptions, type ParsedCsv } from "./csv";
export { datasetHashFromFiles, sha256Hex } from "./hash";
export { decodeImages } from "./images";
export {
  datasetFileUrl,
  getDatasetHash,
  loadDataset,
  loadDatasetWithInfo,
  type FetchFn,
  type LoadDatasetOptions,
  type LoadedDataset,
} from "./load";
export { createRng, type Rng } from "./prng";
export { toTableDataset } from "./table";
