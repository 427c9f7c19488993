// Lesson files (content/lessons/<slug>/<locale>.md) ↔ NotebookDocument. The format is described in
// content/lessons/README.md; this is the only parser for it, used by the server and by tests.

import {
  CellId,
  type Cell,
  type ExerciseCell,
  type MarkdownCell,
  type NotebookDocument,
  type NotebookMetadata,
  type QuizCell,
  type QuizQuestion,
} from "./types";
import { ExerciseSpecError, parseTestsSection } from "../grading/exercise-spec";

/** A malformed lesson file. `line` is 1-based, pointing at the offending line. */
export class LessonMarkdownError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "LessonMarkdownError";
    this.line = line;
  }
}

export interface ParseLessonOptions {
  /** Overrides the title; otherwise the first `# heading` of the prose is used. */
  title?: string;
  locale?: "es" | "en";
  lessonSlug?: string;
  datasets?: string[];
}

const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SEPARATOR_RE = /^\+\+\+(?:\s+id=(\S*))?$/;
const FENCE_RE = /^(`{3,}|~{3,})(.*)$/;
const CODE_KINDS: Record<string, "code" | "sql"> = { ts: "code", typescript: "code", sql: "sql" };
const BLOCK_KINDS = new Set(["exercise", "quiz"]);

interface FenceInfo {
  marker: string; // the run of ` or ~
  kind: string;
  attrs: Map<string, string | true>;
}

function parseFenceOpen(line: string): FenceInfo | null {
  const m = FENCE_RE.exec(line);
  if (!m) return null;
  const marker = m[1];
  const info = m[2].trim();
  // A backtick fence's info string may not contain backticks (CommonMark); then it is not a fence.
  if (marker[0] === "`" && info.includes("`")) return null;
  const words = info.length ? info.split(/\s+/) : [];
  const kind = words.shift() ?? "";
  const attrs = new Map<string, string | true>();
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq > 0) attrs.set(w.slice(0, eq), w.slice(eq + 1).replace(/^"(.*)"$/, "$1"));
    else attrs.set(w, true);
  }
  return { marker, kind, attrs };
}

function isFenceClose(line: string, marker: string): boolean {
  const t = line.trimEnd();
  return t.length >= marker.length && t[0] === marker[0] && /^(`+|~+)$/.test(t) && t.length >= marker.length;
}

/** Strips leading and trailing blank lines, keeping indentation. */
function trimBlankLines(lines: string[]): string {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === "") a++;
  while (b > a && lines[b - 1].trim() === "") b--;
  return lines.slice(a, b).join("\n");
}

type Pending =
  | { kind: "markdown"; source: string; line: number; id?: CellId }
  | { kind: "other"; cell: Cell; line: number };

/**
 * Parses a lesson file into a notebook. Markdown cells get ids derived from the next fenced
 * cell (`md-<id>` for the prose just before it, `md-<id>-2` for the one before that, …;
 * `md-end`, `md-end-2`, … after the last one), so they are stable across reloads and
 * identical in both languages. Throws LessonMarkdownError on malformed input.
 */
export function parseLessonMarkdown(text: string, options: ParseLessonOptions = {}): NotebookDocument {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const pending: Pending[] = [];
  let prose: string[] = [];
  let proseStart = 1;
  const seenIds = new Map<string, number>();

  // `+++ id=<id>` names the prose cell that follows it (cells authored in the app keep their ids).
  let proseId: { id: CellId; line: number } | null = null;
  const flushProse = () => {
    const source = trimBlankLines(prose);
    if (source !== "") {
      pending.push({ kind: "markdown", source, line: proseStart, ...(proseId ? { id: proseId.id } : {}) });
      proseId = null;
    } else if (proseId && prose.length > 0) {
      throw new LessonMarkdownError(proseId.line, `"+++ id=${proseId.id}" is not followed by prose`);
    }
    prose = [];
  };
  const claimId = (id: string | true | undefined, lineNo: number, kind: string): CellId => {
    if (id === undefined || id === true || id === "") {
      throw new LessonMarkdownError(lineNo, `${kind} cell needs an id (e.g. \`id=my-cell\`)`);
    }
    if (!ID_RE.test(id)) {
      throw new LessonMarkdownError(lineNo, `cell id "${id}" must be kebab-case (a-z, 0-9, single dashes)`);
    }
    const prev = seenIds.get(id);
    if (prev !== undefined) {
      throw new LessonMarkdownError(lineNo, `duplicate cell id "${id}" (first used on line ${prev})`);
    }
    seenIds.set(id, lineNo);
    return CellId.of(id);
  };
  const checkAttrs = (info: FenceInfo, lineNo: number) => {
    for (const key of info.attrs.keys()) {
      if (key !== "id") throw new LessonMarkdownError(lineNo, `unknown attribute "${key}" on ${info.kind} cell`);
    }
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const lineNo = i + 1;
    const sep = SEPARATOR_RE.exec(line.trim());
    if (sep) {
      flushProse();
      if (proseId) throw new LessonMarkdownError(proseId.line, `"+++ id=${proseId.id}" is not followed by prose`);
      if (sep[1] !== undefined) proseId = { id: claimId(sep[1], lineNo, "markdown"), line: lineNo };
      proseStart = lineNo + 1;
      i++;
      continue;
    }
    const fence = parseFenceOpen(line);
    if (!fence) {
      if (prose.length === 0) proseStart = lineNo;
      prose.push(line);
      i++;
      continue;
    }
    // Find the closing fence.
    let j = i + 1;
    while (j < lines.length && !isFenceClose(lines[j], fence.marker)) j++;
    const closed = j < lines.length;
    const body = lines.slice(i + 1, j);
    const isCell =
      (fence.marker[0] === "`" && fence.kind in CODE_KINDS && fence.attrs.has("id")) ||
      (fence.marker[0] === "~" && BLOCK_KINDS.has(fence.kind)) ||
      (fence.attrs.has("id") && fence.kind !== "");
    if (!isCell) {
      // An ordinary fenced block inside prose (an example, a diagram): keep it verbatim.
      if (!closed) throw new LessonMarkdownError(lineNo, `code fence ${fence.marker} is never closed`);
      if (prose.length === 0) proseStart = lineNo;
      prose.push(...lines.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (!(fence.kind in CODE_KINDS) && !BLOCK_KINDS.has(fence.kind)) {
      throw new LessonMarkdownError(
        lineNo,
        `unknown cell kind "${fence.kind}" (expected \`\`\`ts, \`\`\`sql, ~~~exercise or ~~~quiz)`,
      );
    }
    if (fence.kind in CODE_KINDS && fence.marker[0] !== "`") {
      throw new LessonMarkdownError(lineNo, `${fence.kind} cells use a backtick fence (\`\`\`${fence.kind} id=…)`);
    }
    if (BLOCK_KINDS.has(fence.kind) && fence.marker[0] !== "~") {
      throw new LessonMarkdownError(lineNo, `${fence.kind} cells use a tilde fence (~~~${fence.kind} id=…)`);
    }
    if (!closed) throw new LessonMarkdownError(lineNo, `${fence.kind} cell is never closed (missing ${fence.marker})`);
    checkAttrs(fence, lineNo);
    const id = claimId(fence.attrs.get("id"), lineNo, fence.kind);
    flushProse();
    if (proseId) throw new LessonMarkdownError(proseId.line, `"+++ id=${proseId.id}" is not followed by prose`);
    let cell: Cell;
    if (fence.kind === "exercise") cell = parseExercise(id, body, lineNo + 1);
    else if (fence.kind === "quiz") cell = parseQuiz(id, body, lineNo + 1);
    else {
      const source = body.join("\n");
      cell =
        CODE_KINDS[fence.kind] === "sql"
          ? { id, kind: "sql", source, outputs: [], executionCount: null }
          : { id, kind: "code", source, outputs: [], executionCount: null };
    }
    pending.push({ kind: "other", cell, line: lineNo });
    i = j + 1;
    proseStart = i + 1;
  }
  flushProse();
  if (proseId) throw new LessonMarkdownError(proseId.line, `"+++ id=${proseId.id}" is not followed by prose`);

  const cells = assignMarkdownIds(pending, seenIds);
  const metadata: NotebookMetadata = { title: options.title ?? firstHeading(cells) ?? "" };
  if (options.locale) metadata.locale = options.locale;
  if (options.lessonSlug) metadata.lessonSlug = options.lessonSlug;
  if (options.datasets) metadata.datasets = [...options.datasets];
  return { format: 1, metadata, cells };
}

/** The id each prose cell gets when it carries none: named after the next fenced cell (by position only). */
function derivedProseIds(pending: readonly ({ kind: "markdown" } | { kind: "other"; id: string })[]): string[] {
  const ids: string[] = new Array(pending.length);
  let anchor = "end";
  let run = 0;
  // Walk backwards: each prose cell is named after the next fenced cell.
  for (let k = pending.length - 1; k >= 0; k--) {
    const p = pending[k];
    if (p.kind === "other") {
      anchor = p.id;
      run = 0;
      continue;
    }
    run++;
    ids[k] = run === 1 ? `md-${anchor}` : `md-${anchor}-${run}`;
  }
  // Trailing prose reads better numbered forwards: md-end, md-end-2, …
  const trailing: number[] = [];
  for (let k = pending.length - 1; k >= 0 && pending[k].kind === "markdown"; k--) trailing.unshift(k);
  trailing.forEach((k, n) => (ids[k] = n === 0 ? "md-end" : `md-end-${n + 1}`));
  return ids;
}

function assignMarkdownIds(pending: Pending[], taken: Map<string, number>): Cell[] {
  const ids = derivedProseIds(pending.map((p) => (p.kind === "other" ? { kind: "other", id: p.cell.id } : { kind: "markdown" })));
  return pending.map((p, k) => {
    if (p.kind === "other") return p.cell;
    if (p.id !== undefined) return { id: p.id, kind: "markdown", source: p.source } satisfies MarkdownCell;
    let id = ids[k];
    while (taken.has(id)) id = `${id}-md`;
    taken.set(id, p.line);
    const cell: MarkdownCell = { id: CellId.of(id), kind: "markdown", source: p.source };
    return cell;
  });
}

function firstHeading(cells: Cell[]): string | undefined {
  for (const c of cells) {
    if (c.kind !== "markdown") continue;
    let inFence = false;
    for (const l of c.source.split("\n")) {
      if (/^(`{3,}|~{3,})/.test(l)) inFence = !inFence;
      const m = !inFence && /^#\s+(.+?)\s*#*\s*$/.exec(l);
      if (m) return m[1];
    }
  }
  return undefined;
}

const SECTION_RE = /^---\s+(\S+)\s*$/;

function parseExercise(id: CellId, body: string[], firstLine: number): ExerciseCell {
  const sections: { name: string; line: number; lines: string[] }[] = [];
  body.forEach((line, k) => {
    const lineNo = firstLine + k;
    const m = SECTION_RE.exec(line);
    if (m) {
      const name = m[1];
      if (!["starter", "check", "hint", "solution", "tests"].includes(name)) {
        throw new LessonMarkdownError(
          lineNo,
          `unknown exercise section "--- ${name}" in "${id}" (expected starter, check, hint, solution or tests)`,
        );
      }
      if (name !== "hint" && sections.some((s) => s.name === name)) {
        throw new LessonMarkdownError(lineNo, `exercise "${id}" has a second "--- ${name}" section`);
      }
      sections.push({ name, line: lineNo, lines: [] });
      return;
    }
    if (sections.length === 0) {
      if (line.trim() !== "") {
        throw new LessonMarkdownError(lineNo, `exercise "${id}" must start with a "--- starter" section`);
      }
      return;
    }
    sections[sections.length - 1].lines.push(line);
  });
  const get = (name: string) => sections.find((s) => s.name === name);
  for (const required of ["starter", "check", "solution"]) {
    if (!get(required)) {
      throw new LessonMarkdownError(firstLine - 1, `exercise "${id}" is missing its "--- ${required}" section`);
    }
  }
  const starter = trimBlankLines(get("starter")!.lines);
  const tests = get("tests");
  if (tests) {
    // The hidden tests must parse: a lesson that cannot be graded fails where it is loaded.
    try {
      parseTestsSection(trimBlankLines(tests.lines));
    } catch (e) {
      if (e instanceof ExerciseSpecError) {
        throw new LessonMarkdownError(tests.line + 1 + e.line, `exercise "${id}", --- tests: ${e.message}`);
      }
      throw e;
    }
  }
  return {
    id,
    kind: "exercise",
    source: starter,
    starter,
    check: trimBlankLines(get("check")!.lines),
    hints: sections.filter((s) => s.name === "hint").map((s) => trimBlankLines(s.lines)),
    solution: trimBlankLines(get("solution")!.lines),
    ...(tests ? { tests: trimBlankLines(tests.lines) } : {}),
    outputs: [],
    executionCount: null,
  };
}

function parseQuiz(id: CellId, body: string[], firstLine: number): QuizCell {
  const questions: (QuizQuestion & { line: number })[] = [];
  body.forEach((raw, k) => {
    const lineNo = firstLine + k;
    const line = raw.trim();
    if (line === "") return;
    const current = questions[questions.length - 1];
    if (line.startsWith("?")) {
      questions.push({ prompt: line.slice(1).trim(), options: [], line: lineNo });
      return;
    }
    if (!current) throw new LessonMarkdownError(lineNo, `quiz "${id}" must start with a "? question" line`);
    const opt = /^-\s*\[( |x|X)\]\s*(.*)$/.exec(line);
    if (opt) {
      if (current.explanation !== undefined) {
        throw new LessonMarkdownError(lineNo, `quiz "${id}": options must come before the "> explanation"`);
      }
      current.options.push({ text: opt[2], correct: opt[1] !== " " });
      return;
    }
    const live = /^@\s*(.*)$/.exec(line);
    if (live) {
      // `@ time=30 points=2000`: how the question plays live (lib/live).
      for (const part of live[1].split(/\s+/).filter(Boolean)) {
        const m = /^(time|points)=(\d{1,4})$/.exec(part);
        const n = m ? Number(m[2]) : NaN;
        if (m?.[1] === "time" && n >= 5 && n <= 240) current.timeLimitSec = n;
        else if (m?.[1] === "points" && (n === 0 || n === 1000 || n === 2000)) current.points = n;
        else throw new LessonMarkdownError(lineNo, `quiz "${id}": expected "@ time=<5–240> points=<0|1000|2000>", got "${part}"`);
      }
      return;
    }
    if (line.startsWith(">")) {
      const text = line.slice(1).trim();
      current.explanation = current.explanation === undefined ? text : `${current.explanation}\n${text}`;
      return;
    }
    throw new LessonMarkdownError(
      lineNo,
      `quiz "${id}": expected "? question", "- [ ] option", "- [x] option", "> explanation" or "@ time=… points=…", got "${line}"`,
    );
  });
  if (questions.length === 0) throw new LessonMarkdownError(firstLine - 1, `quiz "${id}" has no questions`);
  for (const q of questions) {
    if (q.prompt === "") throw new LessonMarkdownError(q.line, `quiz "${id}": empty question`);
    if (q.options.length < 2) throw new LessonMarkdownError(q.line, `quiz "${id}": a question needs at least two options`);
    if (!q.options.some((o) => o.correct)) {
      throw new LessonMarkdownError(q.line, `quiz "${id}": mark at least one option correct with "- [x]"`);
    }
  }
  const clean = questions.map(({ line: _line, ...q }) => q);
  // `source` is the canonical quiz text, so a round trip is exact.
  return { id, kind: "quiz", source: quizBody(clean), questions: clean };
}

/** The quiz's questions in lesson-file syntax (the body of a ~~~quiz fence). */
export function quizBody(questions: QuizQuestion[]): string {
  return questions
    .map((q) =>
      [
        `? ${q.prompt}`,
        ...(q.timeLimitSec !== undefined || q.points !== undefined
          ? [["@", ...(q.timeLimitSec !== undefined ? [`time=${q.timeLimitSec}`] : []), ...(q.points !== undefined ? [`points=${q.points}`] : [])].join(" ")]
          : []),
        ...q.options.map((o) => `- [${o.correct ? "x" : " "}] ${o.text}`),
        ...(q.explanation !== undefined ? q.explanation.split("\n").map((l) => `> ${l}`) : []),
      ].join("\n"),
    )
    .join("\n");
}

/** A fence of `ch` longer than any run of `ch` at a line start in `text`. */
function fenceFor(ch: "`" | "~", text: string): string {
  let longest = 2;
  const re = ch === "`" ? /^\s*(`{3,})/gm : /^\s*(~{3,})/gm;
  for (const m of text.matchAll(re)) longest = Math.max(longest, m[1].length);
  return ch.repeat(longest + 1);
}

/**
 * Writes a notebook back in lesson-file form. Exercises are written from their `starter`
 * (the original), not from the student's current `source`; outputs are not written.
 * `parseLessonMarkdown(toLessonMarkdown(doc))` gives back the same cells.
 */
export function toLessonMarkdown(doc: NotebookDocument): string {
  const parts: string[] = [];
  let prevMarkdown = false;
  // A prose cell whose id is not the one its position gives (a cell authored in the app) is
  // written with `+++ id=<id>` before it, so reading the file back gives the same ids.
  const derived = derivedProseIds(doc.cells.map((c) => (c.kind === "markdown" ? { kind: "markdown" } : { kind: "other", id: c.id })));
  for (const [k, cell] of doc.cells.entries()) {
    if (cell.kind === "markdown") {
      const explicit = cell.id !== derived[k] || doc.cells.some((c, n) => n !== k && c.id === derived[k]);
      if (explicit) parts.push(`+++ id=${cell.id}`);
      else if (prevMarkdown) parts.push("+++");
      parts.push(cell.source);
      prevMarkdown = true;
      continue;
    }
    prevMarkdown = false;
    if (cell.kind === "code" || cell.kind === "sql") {
      const f = fenceFor("`", cell.source);
      parts.push(`${f}${cell.kind === "sql" ? "sql" : "ts"} id=${cell.id}\n${cell.source}\n${f}`);
    } else if (cell.kind === "exercise") {
      const body = [
        "--- starter",
        cell.starter,
        "--- check",
        cell.check,
        ...cell.hints.flatMap((h) => ["--- hint", h]),
        "--- solution",
        cell.solution,
        ...(cell.tests !== undefined ? ["--- tests", cell.tests] : []),
      ].join("\n");
      const f = fenceFor("~", body);
      parts.push(`${f}exercise id=${cell.id}\n${body}\n${f}`);
    } else {
      parts.push(`~~~quiz id=${cell.id}\n${quizBody(cell.questions)}\n~~~`);
    }
  }
  return parts.join("\n\n") + "\n";
}
