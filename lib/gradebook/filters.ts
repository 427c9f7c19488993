// The gradebook page's filters, pure so they are tested apart from React: which columns (lesson,
// item kind) and which students (name search, only those with a late or a revealed item shown).
import type { GradeCell } from "./grades";
import type { GradeItem, GradeItemKind } from "./items";

export interface GradebookFilter {
  lessonSlug: string | null;
  kind: GradeItemKind | null;
  studentQuery: string;
  onlyLate: boolean;
  onlyRevealed: boolean;
}

export const NO_FILTER: GradebookFilter = { lessonSlug: null, kind: null, studentQuery: "", onlyLate: false, onlyRevealed: false };

/** Lower case, accents dropped: "Sofía" matches "sofia". */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function visibleItems<T extends GradeItem>(items: readonly T[], f: GradebookFilter): T[] {
  return items.filter((i) => (!f.kind || i.kind === f.kind) && (!f.lessonSlug || (i.kind === "exercise" && i.lessonSlug === f.lessonSlug)));
}

export function visibleStudents<S extends { name: string; email?: string; cells: Record<string, GradeCell | undefined> }>(
  students: readonly S[],
  items: readonly GradeItem[],
  f: GradebookFilter,
): S[] {
  const q = foldText(f.studentQuery.trim());
  return students.filter((s) => {
    if (q && !foldText(s.name).includes(q) && !foldText(s.email ?? "").includes(q)) return false;
    if (f.onlyLate && !items.some((i) => s.cells[i.key]?.computed.late)) return false;
    if (f.onlyRevealed && !items.some((i) => s.cells[i.key]?.computed.revealed)) return false;
    return true;
  });
}
