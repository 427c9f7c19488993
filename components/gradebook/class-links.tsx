"use client";
// Links from a class page to its grading pages: the gradebook for the instructor, own grades for
// a student, the class leaderboard for both.
import { useTranslations } from "next-intl";
import { Link } from "@/lib/i18n/navigation";

export function ClassGradingLinks({ classId, role }: { classId: string; role: "instructor" | "student" }) {
  const t = useTranslations("gradebook");
  const id = encodeURIComponent(classId);
  const cls = "rounded-md border border-stone-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-stone-100";
  return (
    <nav className="flex flex-wrap gap-2" data-testid="class-grading-links">
      {role === "instructor" ? (
        <Link href={`/classes/${id}/gradebook`} className={cls} data-testid="gradebook-link">{t("gradebookLink")}</Link>
      ) : (
        <Link href="/grades" className={cls} data-testid="my-grades-link">{t("myGradesLink")}</Link>
      )}
      <Link href={`/classes/${id}/leaderboard`} className={cls} data-testid="class-leaderboard-link">{t("leaderboardLink")}</Link>
    </nav>
  );
}
