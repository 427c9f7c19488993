"use client";
// The class page's assigned lessons (issue 15 point 6), for the class's instructor: per lesson,
// each student's cells run, exercises graded and passed, quiz score and late mark.
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useTRPC } from "@/lib/trpc/react";

export function ClassAssignments({ classId }: { classId: string }) {
  const t = useTranslations("teach.classProgress");
  const ta = useTranslations("teach.assigned");
  const format = useFormatter();
  const locale = useLocale() as "es" | "en";
  const trpc = useTRPC();
  const rows = useQuery({ ...trpc.teach.classAssignments.queryOptions({ classId, locale }), retry: false });
  if (!rows.data) return null; // not the class's instructor: nothing to show
  return (
    <section className="mt-6" data-testid="class-assignments">
      <h2 className="mb-2 text-lg font-semibold">{t("title")}</h2>
      {rows.data.length === 0 && <p className="text-sm text-stone-500">{t("none")}</p>}
      {rows.data.map((lesson) => (
        <div key={lesson.lessonSlug} className="mb-4 overflow-x-auto rounded-lg border border-stone-200 bg-white p-3" data-testid="class-assignment">
          <h3 className="font-medium">{lesson.title}</h3>
          <p className="text-xs text-stone-500">{lesson.dueAt ? ta("due", { date: format.dateTime(lesson.dueAt, { dateStyle: "medium", timeStyle: "short" }) }) : ta("noDue")}</p>
          <table className="mt-2 w-full text-sm">
            <thead>
              <tr className="text-left text-xs text-stone-500">
                <th>{t("student")}</th>
                <th>{t("cells")}</th>
                <th>{t("graded")}</th>
                <th>{t("passed")}</th>
                <th>{t("quiz")}</th>
                <th>{t("late")}</th>
              </tr>
            </thead>
            <tbody>
              {lesson.students.map((s) => (
                <tr key={s.userId} className="border-t border-stone-100" data-testid="class-assignment-row">
                  <td>{s.name}</td>
                  <td>{s.cellsRun}/{s.cellsTotal}</td>
                  <td>{s.exercisesGraded}</td>
                  <td>{s.exercisesPassed}</td>
                  <td>{s.quizScore === null ? "—" : `${Math.round(s.quizScore * 100)}%`}</td>
                  <td>{s.late ? "✓" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
