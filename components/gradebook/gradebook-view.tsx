"use client";
// The instructor's gradebook: students × items with filters, an override dialog per cell, the CSV
// download and the class's deadlines and settings. The server checks that the caller teaches the class.
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { NO_FILTER, visibleItems, visibleStudents, type GradebookFilter } from "@/lib/gradebook/filters";
import { GRADE_ITEM_KINDS, type GradeItemKind } from "@/lib/gradebook/items";
import { formatPercent } from "@/lib/gradebook/score-input";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { formatItemScore, itemLabel, type GradebookOutputs } from "./format";
import { GradingSettings } from "./grading-settings";
import { OverrideDialog } from "./override-dialog";

type Book = GradebookOutputs["forClass"];
type Student = Book["students"][number];
type Item = Book["items"][number];

export function GradebookView({ classId, lessons }: { classId: string; lessons: { slug: string; title: string }[] }) {
  const t = useTranslations("gradebook");
  const locale = useLocale();
  const lang = locale === "en" ? "en" : "es";
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const book = useQuery(trpc.gradebook.forClass.queryOptions({ classId, locale: lang }));
  const [filter, setFilter] = useState<GradebookFilter>(NO_FILTER);
  const [editing, setEditing] = useState<{ studentId: string; itemKey: string } | null>(null);
  const items = useMemo(() => (book.data ? visibleItems(book.data.items, filter) : []), [book.data, filter]);
  const students = useMemo(() => (book.data ? visibleStudents(book.data.students, items, filter) : []), [book.data, items, filter]);

  if (book.error) return <Alert tone="error">{toMessage(book.error)}</Alert>;
  if (!book.data) return null;
  const data = book.data;
  const set = (patch: Partial<GradebookFilter>) => setFilter((f) => ({ ...f, ...patch }));
  const editingStudent = editing && data.students.find((s) => s.id === editing.studentId);
  const editingItem = editing && data.items.find((i) => i.key === editing.itemKey);
  const lessonOptions = lessons.filter((l) => data.items.some((i) => i.kind === "exercise" && i.lessonSlug === l.slug));

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div>
          <h1 className="text-2xl font-bold" data-testid="gradebook-title">{t("gradebookTitle")}</h1>
          <Link href={`/classes/${encodeURIComponent(classId)}`} className="text-sm text-stone-600 hover:text-accent">
            ← {data.className}
          </Link>
        </div>
        <div className="flex flex-col items-end gap-1">
          <a
            href={`/api/classes/${encodeURIComponent(classId)}/gradebook.csv?locale=${lang}`}
            download
            className="rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-blue-800"
            data-testid="gradebook-csv"
          >
            {t("downloadCsv")}
          </a>
          <span className="text-xs text-stone-500">{t("csvHint")}</span>
        </div>
      </div>

      <Card>
        <h2 className="sr-only">{t("filters.title")}</h2>
        <div className="grid gap-3 sm:grid-cols-3" data-testid="gradebook-filters">
          <Field label={t("filters.lesson")}>
            <select className="rounded-md border border-stone-300 px-2 py-1.5 text-sm" value={filter.lessonSlug ?? ""} onChange={(e) => set({ lessonSlug: e.target.value || null })} data-testid="filter-lesson">
              <option value="">{t("filters.allLessons")}</option>
              {lessonOptions.map((l) => <option key={l.slug} value={l.slug}>{l.title}</option>)}
            </select>
          </Field>
          <Field label={t("filters.kind")}>
            <select className="rounded-md border border-stone-300 px-2 py-1.5 text-sm" value={filter.kind ?? ""} onChange={(e) => set({ kind: (e.target.value || null) as GradeItemKind | null })} data-testid="filter-kind">
              <option value="">{t("filters.allKinds")}</option>
              {GRADE_ITEM_KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
            </select>
          </Field>
          <Field label={t("filters.search")}>
            <Input type="search" value={filter.studentQuery} maxLength={100} onChange={(e) => set({ studentQuery: e.target.value })} data-testid="filter-student" />
          </Field>
        </div>
        <div className="mt-2 flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-1.5">
            <input type="checkbox" checked={filter.onlyLate} onChange={(e) => set({ onlyLate: e.target.checked })} data-testid="filter-late" /> {t("filters.onlyLate")}
          </label>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" checked={filter.onlyRevealed} onChange={(e) => set({ onlyRevealed: e.target.checked })} data-testid="filter-revealed" /> {t("filters.onlyRevealed")}
          </label>
          <span className="text-stone-500" data-testid="gradebook-showing">{t("filters.showing", { students: students.length, items: items.length })}</span>
        </div>
      </Card>

      {data.students.length === 0 ? (
        <p className="text-stone-600">{t("empty")}</p>
      ) : data.items.length === 0 ? (
        <p className="text-stone-600">{t("noItems")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-stone-200 bg-white">
          <table className="min-w-full text-sm" data-testid="gradebook-table">
            <thead className="bg-stone-50 text-left">
              <tr>
                <th className="sticky left-0 bg-stone-50 px-3 py-2">{t("student")}</th>
                {items.map((i) => (
                  <th key={i.key} className="px-3 py-2 font-medium" data-testid="gradebook-item" data-item={i.key}>
                    <span className="block text-xs text-stone-500">{t(`kind.${i.kind}`)}</span>
                    {itemLabel(i, t("kind.challenge"), t("kind.quiz"))}
                  </th>
                ))}
                <th className="px-3 py-2">{t("total")}</th>
              </tr>
            </thead>
            <tbody>
              {students.map((s) => (
                <tr key={s.id} className="border-t border-stone-100" data-testid="gradebook-row" data-student={s.name}>
                  <th className="sticky left-0 bg-white px-3 py-2 text-left font-medium">
                    {s.name}
                    <span className="block text-xs font-normal text-stone-500">{s.email}</span>
                  </th>
                  {items.map((i) => (
                    <td key={i.key} className="px-1 py-1 align-top">
                      <GradeCellButton student={s} item={i} locale={lang} onEdit={() => setEditing({ studentId: s.id, itemKey: i.key })} />
                    </td>
                  ))}
                  <td className="px-3 py-2 font-semibold" data-testid="gradebook-total">{formatPercent(s.total.total, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="text-xs text-stone-500">{t("totalHint")}</p>

      {editingStudent && editingItem && (
        <OverrideDialog classId={classId} student={editingStudent} item={editingItem} onClose={() => setEditing(null)} />
      )}

      <GradingSettings classId={classId} lessons={lessons} />
    </div>
  );
}

function GradeCellButton({ student, item, locale, onEdit }: { student: Student; item: Item; locale: string; onEdit: () => void }) {
  const t = useTranslations("gradebook");
  const cell = student.cells[item.key]!;
  const c = cell.computed;
  return (
    <button
      type="button"
      onClick={onEdit}
      className="w-full min-w-24 rounded px-2 py-1 text-left hover:bg-accent-soft"
      aria-label={t("cell.edit", { student: student.name, item: itemLabel(item, t("kind.challenge"), t("kind.quiz")) })}
      data-testid="grade-cell"
      data-item={item.key}
    >
      <span className="font-medium" data-testid="grade-score">{formatItemScore(item, cell.score, locale)}</span>
      {cell.override && (
        <span className="ml-1 text-xs text-amber-700" data-testid="grade-overridden" title={cell.override.comment}>
          ✎ {t("cell.computed", { score: formatItemScore(item, c.score, locale) })}
        </span>
      )}
      <span className="flex flex-wrap gap-1 text-xs text-stone-500">
        {c.attempts > 0 && <span>{t("cell.attempts", { count: c.attempts })}</span>}
        {c.hintsUsed ? <span>{t("cell.hints", { count: c.hintsUsed })}</span> : null}
        {c.provisional && <span className="text-blue-700">{t("cell.provisional")}</span>}
        {c.late && <span className="text-red-700" data-testid="grade-late">{t("cell.late")}</span>}
        {c.revealed && <span className="text-purple-700" data-testid="grade-revealed">{t("cell.revealed")}</span>}
      </span>
    </button>
  );
}
