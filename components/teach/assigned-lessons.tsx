// A student's assigned lessons on the home page (issue 15 point 6): open assignments of their
// classes, soonest due first, with the due date, their status and late/overdue marks.
import { getFormatter, getTranslations } from "next-intl/server";
import { Link } from "@/lib/i18n/navigation";
import type { MyAssignment } from "@/lib/server/services/teach/assignments";

export async function AssignedLessons({ assignments }: { assignments: MyAssignment[] }) {
  if (assignments.length === 0) return null;
  const [t, format] = await Promise.all([getTranslations("teach.assigned"), getFormatter()]);
  return (
    <section>
      <h2 className="mb-3 text-xl font-semibold">{t("title")}</h2>
      <ul className="grid gap-3 sm:grid-cols-2" data-testid="assigned-lessons">
        {assignments.map((a) => (
          <li key={`${a.classId}/${a.lessonSlug}`} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm" data-testid="assigned-lesson" data-status={a.status} data-late={a.late ? "true" : "false"}>
            <h3 className="font-semibold">
              <Link href={`/lessons/${a.lessonSlug}?class=${encodeURIComponent(a.classId)}`} className="hover:text-accent">{a.title}</Link>
            </h3>
            <p className="text-xs text-stone-500">{t("className", { name: a.className })}</p>
            <p className="mt-1 text-sm" data-testid="assigned-due">
              {a.dueAt ? t("due", { date: format.dateTime(a.dueAt, { dateStyle: "medium", timeStyle: "short" }) }) : t("noDue")}
            </p>
            <p className="mt-1 flex flex-wrap gap-1 text-xs">
              <span className="rounded bg-stone-100 px-1.5 py-0.5" data-testid="assigned-status">{t(`status.${a.status}`)}</span>
              {a.overdue && <span className="rounded bg-red-50 px-1.5 py-0.5 text-red-700">{t("overdue")}</span>}
              {a.late && <span className="rounded bg-amber-50 px-1.5 py-0.5 text-amber-800" data-testid="assigned-late">{t("late")}</span>}
            </p>
            <p className="mt-1 text-xs text-stone-500">{t("progress", { run: a.cellsRun, total: a.cellsTotal, passed: a.exercisesPassed })}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
