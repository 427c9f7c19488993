// The dataset shapes that lesson cells receive from `data.load(name)` (see content/lessons/README.md).

export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;

export interface TableDataset {
  kind: "table";
  name: string;
  columns: string[];
  rows: Row[];
  column(name: string): Cell[];
  /** Numeric features, row-major. Booleans become 0/1, nulls NaN; text throws. */
  matrix(columns: string[]): number[][];
}

export interface ImageDataset {
  kind: "images";
  name: string;
  count: number;
  height: number;
  width: number;
  /** count*height*width values in [0, 1]. */
  images: Float32Array;
  labels: Int32Array;
}

export type Dataset = TableDataset | ImageDataset;
