// The notebook document: what is saved (sources and outputs). Run state (status, timings,
// kernel variables) lives elsewhere, in memory only.

/** A cell id: stable, unique in its notebook, kebab-case for lesson cells. */
export type CellId = string & { __brand: "CellId" };
export const CellId = {
  create(): CellId {
    const bytes = new Uint8Array(6);
    globalThis.crypto.getRandomValues(bytes);
    return ("c-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")) as CellId;
  },
  of(id: string): CellId {
    return id as CellId;
  },
};

/** A MIME bundle, as Jupyter's display_data: mimetype → data. JSON types hold objects. */
export type MimeBundle = Partial<{
  "text/plain": string;
  "text/markdown": string;
  "text/html": string; // sanitized before it is rendered
  "image/png": string; // base64, no data: prefix
  "application/json": unknown;
  "application/vnd.vegalite.v5+json": Record<string, unknown>;
  "application/vnd.cuaderno.table+json": TableView;
  "application/vnd.cuaderno.tensor+json": TensorView;
}> &
  Record<string, unknown>;

export interface TableView {
  columns: string[];
  rows: unknown[][]; // all rows; the page paginates
  title?: string;
  pageSize?: number;
}

export interface TensorView {
  shape: number[];
  dtype: string;
  /** Up to the first 1,000 values, row-major. */
  values: number[];
  truncated: boolean;
  stats?: { min: number; max: number; mean: number };
}

export type CellOutput =
  | { type: "stream"; name: "stdout" | "stderr"; text: string }
  | { type: "display"; data: MimeBundle; displayId?: string }
  | { type: "result"; data: MimeBundle }
  | { type: "error"; name: string; message: string; line?: number; column?: number; stack?: string };

interface CellBase {
  id: CellId;
  source: string;
  /** Foreign metadata kept from an imported .ipynb (tags, collapsed…) and written back on export. */
  metadata?: Record<string, unknown>;
}

export interface MarkdownCell extends CellBase {
  kind: "markdown";
  /** Imported from a Jupyter "raw" cell: shown as preformatted text, exported as raw again. */
  raw?: boolean;
}
export interface CodeCell extends CellBase {
  kind: "code";
  outputs: CellOutput[];
  executionCount?: number | null;
}
export interface SqlCell extends CellBase {
  kind: "sql";
  outputs: CellOutput[];
  executionCount?: number | null;
}
export interface ExerciseCell extends CellBase {
  kind: "exercise";
  /** `source` holds the student's current code; starter is the original. */
  starter: string;
  check: string;
  hints: string[];
  solution: string;
  /**
   * The hidden `--- tests` section (lib/grading/exercise-spec.ts). Server only: documents sent to
   * a browser are made by lib/notebook/hidden.ts, which leaves it out.
   */
  tests?: string;
  /** In a document sent to a browser: how many hints the server holds (the texts are not sent). */
  hintCount?: number;
  /** In a document sent to a browser: the server grades this exercise (it has hidden tests). */
  graded?: boolean;
  outputs: CellOutput[];
  executionCount?: number | null;
}
export interface QuizQuestion {
  prompt: string;
  options: { text: string; correct: boolean }[];
  explanation?: string;
  /** Live play (lib/live): seconds to answer (5–240) and points (0, 1000 or 2000); the game's defaults when absent. */
  timeLimitSec?: number;
  points?: 0 | 1000 | 2000;
}
export interface QuizCell extends CellBase {
  kind: "quiz";
  questions: QuizQuestion[];
}

export type Cell = MarkdownCell | CodeCell | SqlCell | ExerciseCell | QuizCell;
export type CellKind = Cell["kind"];
export type RunnableCell = CodeCell | SqlCell | ExerciseCell;

export interface NotebookMetadata {
  title: string;
  locale?: "es" | "en";
  lessonSlug?: string;
  datasets?: string[];
}

export interface NotebookDocument {
  /** Format version of this JSON shape. */
  format: 1;
  metadata: NotebookMetadata;
  cells: Cell[];
}
