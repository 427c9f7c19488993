// Builds the TableDataset that cells receive: plain rows plus column/matrix accessors.

import type { Cell, Row, TableDataset } from "./types";

function unknownColumn(name: string, datasetName: string, columns: readonly string[]): Error {
  return new Error(`Dataset "${datasetName}" has no column "${name}". Columns: ${columns.join(", ")}`);
}

/**
 * Wraps rows as a TableDataset. `column` and `matrix` return fresh arrays, so a cell that mutates
 * them cannot corrupt the dataset other cells see.
 */
export function toTableDataset(name: string, columns: string[], rows: Row[]): TableDataset {
  const known = new Set(columns);
  if (known.size !== columns.length) throw new Error(`Dataset "${name}": duplicate column names`);

  return {
    kind: "table",
    name,
    columns,
    rows,
    column(column: string): Cell[] {
      if (!known.has(column)) throw unknownColumn(column, name, columns);
      const out = new Array<Cell>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i][column];
        out[i] = v === undefined ? null : v;
      }
      return out;
    },
    matrix(selected: string[]): number[][] {
      for (const c of selected) if (!known.has(c)) throw unknownColumn(c, name, columns);
      const out = new Array<number[]>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        const values = new Array<number>(selected.length);
        for (let j = 0; j < selected.length; j++) {
          const v = row[selected[j]];
          if (typeof v === "number") values[j] = v;
          else if (typeof v === "boolean") values[j] = v ? 1 : 0;
          else if (v === null || v === undefined) values[j] = NaN;
          else {
            throw new Error(
              `Dataset "${name}": column "${selected[j]}" is not numeric (row ${i} holds "${v}"); ` +
                `encode it first, e.g. with ml.preprocess`,
            );
          }
        }
        out[i] = values;
      }
      return out;
    },
  };
}
