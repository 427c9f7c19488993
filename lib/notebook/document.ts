// Pure operations on a NotebookDocument: every edit returns a new document and never mutates
// its input, so the page can keep undo history and compare by reference.

import {
  CellId,
  type Cell,
  type CellOutput,
  type CodeCell,
  type MarkdownCell,
  type NotebookDocument,
  type NotebookMetadata,
  type SqlCell,
} from "./types";

export function createNotebook(metadata: Partial<NotebookMetadata> = {}, cells: Cell[] = []): NotebookDocument {
  return { format: 1, metadata: { title: "", ...metadata }, cells: [...cells] };
}

/** A new empty cell of a simple kind. */
export function createCell(kind: "markdown" | "code" | "sql", source = "", id: CellId = CellId.create()): Cell {
  if (kind === "markdown") return { id, kind, source };
  return { id, kind, source, outputs: [], executionCount: null };
}

export function findCellIndexOrThrow(doc: NotebookDocument, id: string): number {
  const i = doc.cells.findIndex((c) => c.id === id);
  if (i < 0) throw new RangeError(`no cell with id "${id}"`);
  return i;
}

export function getCell(doc: NotebookDocument, id: string): Cell | undefined {
  return doc.cells.find((c) => c.id === id);
}

function withCells(doc: NotebookDocument, cells: Cell[]): NotebookDocument {
  return { ...doc, cells };
}

/**
 * Inserts `cell` at `index` (clamped; default: at the end). Throws if its id is taken.
 */
export function insertCell(doc: NotebookDocument, cell: Cell, index = doc.cells.length): NotebookDocument {
  if (doc.cells.some((c) => c.id === cell.id)) throw new RangeError(`cell id "${cell.id}" already exists`);
  const at = Math.max(0, Math.min(doc.cells.length, Math.trunc(index)));
  const cells = [...doc.cells];
  cells.splice(at, 0, cell);
  return withCells(doc, cells);
}

/** Inserts after the cell `afterId`, or first when `afterId` is null. */
export function insertCellAfter(doc: NotebookDocument, cell: Cell, afterId: string | null): NotebookDocument {
  return insertCell(doc, cell, afterId === null ? 0 : findCellIndexOrThrow(doc, afterId) + 1);
}

/** Moves a cell so that it ends up at `toIndex` (clamped) in the new order. */
export function moveCell(doc: NotebookDocument, id: string, toIndex: number): NotebookDocument {
  const from = findCellIndexOrThrow(doc, id);
  const cells = [...doc.cells];
  const [cell] = cells.splice(from, 1);
  const to = Math.max(0, Math.min(cells.length, Math.trunc(toIndex)));
  if (to === from) return doc;
  cells.splice(to, 0, cell);
  return withCells(doc, cells);
}

export function deleteCell(doc: NotebookDocument, id: string): NotebookDocument {
  const i = findCellIndexOrThrow(doc, id);
  return withCells(doc, [...doc.cells.slice(0, i), ...doc.cells.slice(i + 1)]);
}

/** Replaces a cell's fields (not its id or kind). */
export function updateCell<C extends Cell>(
  doc: NotebookDocument,
  id: string,
  patch: Partial<Omit<C, "id" | "kind">>,
): NotebookDocument {
  const i = findCellIndexOrThrow(doc, id);
  const cells = [...doc.cells];
  cells[i] = { ...cells[i], ...patch } as Cell;
  return withCells(doc, cells);
}

export function setSource(doc: NotebookDocument, id: string, source: string): NotebookDocument {
  return updateCell(doc, id, { source });
}

/**
 * Switches a cell between markdown, code and sql, keeping its id and source. Exercises and
 * quizzes are lesson structure and cannot change kind.
 */
export function changeCellKind(doc: NotebookDocument, id: string, kind: "markdown" | "code" | "sql"): NotebookDocument {
  const i = findCellIndexOrThrow(doc, id);
  const old = doc.cells[i];
  if (old.kind === kind) return doc;
  if (old.kind === "exercise" || old.kind === "quiz") throw new TypeError(`a ${old.kind} cell cannot change kind`);
  const base = { id: old.id, source: old.source, ...(old.metadata ? { metadata: old.metadata } : {}) };
  const cell: Cell =
    kind === "markdown"
      ? ({ ...base, kind } satisfies MarkdownCell)
      : ({ ...base, kind, outputs: [], executionCount: null } satisfies CodeCell | SqlCell);
  const cells = [...doc.cells];
  cells[i] = cell;
  return withCells(doc, cells);
}

function cleared(c: Cell): Cell {
  if (c.kind === "markdown" || c.kind === "quiz") return c;
  if (c.outputs.length === 0 && (c.executionCount ?? null) === null) return c;
  return { ...c, outputs: [], executionCount: null };
}

/** Clears outputs and execution counts of one cell, or of every cell when `id` is omitted. */
export function clearOutputs(doc: NotebookDocument, id?: string): NotebookDocument {
  if (id !== undefined) {
    const i = findCellIndexOrThrow(doc, id);
    const cells = [...doc.cells];
    cells[i] = cleared(cells[i]);
    return withCells(doc, cells);
  }
  return withCells(doc, doc.cells.map(cleared));
}

export function setOutputs(doc: NotebookDocument, id: string, outputs: CellOutput[], executionCount?: number | null): NotebookDocument {
  const cell = doc.cells[findCellIndexOrThrow(doc, id)];
  if (cell.kind === "markdown" || cell.kind === "quiz") throw new TypeError(`a ${cell.kind} cell has no outputs`);
  return updateCell<CodeCell>(doc, id, executionCount === undefined ? { outputs } : { outputs, executionCount });
}

function pristine(c: Cell): Cell {
  const copy = structuredClone(c);
  if (copy.kind === "exercise") copy.source = copy.starter;
  return cleared(copy);
}

/**
 * Resets one cell to its version in `original` (e.g. the lesson): source back to the
 * original (for exercises, the starter), outputs cleared. Cells the student added are kept
 * untouched unless `id` names one, which throws.
 */
export function resetCell(doc: NotebookDocument, id: string, original: NotebookDocument): NotebookDocument {
  const i = findCellIndexOrThrow(doc, id);
  const orig = original.cells.find((c) => c.id === id);
  if (!orig) throw new RangeError(`cell "${id}" is not in the original notebook`);
  const cells = [...doc.cells];
  cells[i] = pristine(orig);
  return withCells(doc, cells);
}

/** A fresh copy of `original` with no outputs and exercises back at their starters. */
export function resetNotebook(original: NotebookDocument): NotebookDocument {
  return { format: 1, metadata: structuredClone(original.metadata), cells: original.cells.map(pristine) };
}

// ---------- content hash ----------

/** JSON with object keys sorted, so equal documents hash equally whatever the key order. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : stableStringify(x))).join(",")}]`;
  const keys = Object.keys(v as object)
    .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(",")}}`;
}

/**
 * SHA-256 (hex) of the document. By default only what an author writes counts (metadata,
 * kinds, ids, sources and exercise/quiz fields), not outputs or execution counts, so running
 * a notebook does not change its hash; pass `{ outputs: true }` to include them.
 */
export function contentHash(doc: NotebookDocument, opts: { outputs?: boolean } = {}): string {
  const view = opts.outputs
    ? doc
    : {
        format: doc.format,
        metadata: doc.metadata,
        cells: doc.cells.map((c) => {
          if (c.kind === "markdown" || c.kind === "quiz") return c;
          const { outputs: _o, executionCount: _e, ...rest } = c;
          return rest;
        }),
      };
  return sha256Hex(new TextEncoder().encode(stableStringify(view)));
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** Synchronous SHA-256 (the hash must be computable in render paths where WebCrypto is async). */
export function sha256Hex(bytes: Uint8Array): string {
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const len = bytes.length;
  const padded = new Uint8Array(Math.ceil((len + 9) / 64) * 64);
  padded.set(bytes);
  padded[len] = 0x80;
  const dv = new DataView(padded.buffer);
  dv.setUint32(padded.length - 8, Math.floor(len / 0x20000000));
  dv.setUint32(padded.length - 4, (len << 3) >>> 0);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < padded.length; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = dv.getUint32(off + t * 4);
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 64; t++) {
      const S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[t] + w[t]) >>> 0;
      const S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  return Array.from(h, (x) => x.toString(16).padStart(8, "0")).join("");
}
