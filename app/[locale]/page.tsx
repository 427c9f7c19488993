import { getTranslations, setRequestLocale } from "next-intl/server";
import { Link } from "@/lib/i18n/navigation";
import { listLessons } from "@/lib/content/lessons";
import { isLocale, type Locale } from "@/lib/i18n/routing";
import { db } from "@/lib/server/db";
import { getPageUser } from "@/lib/server/page-session";
import { progressForUser, type LessonProgressSummary } from "@/lib/server/services/progress";
import { myAssignments } from "@/lib/server/services/teach/assignments";
import { AssignedLessons } from "@/components/teach/assigned-lessons";

export default async function CataloguePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  const locale: Locale = isLocale(raw) ? raw : "es";
  setRequestLocale(locale);
  const t = await getTranslations("home");
  const common = await getTranslations("common");
  const user = await getPageUser();
  const lessons = listLessons();
  const assigned = user ? await myAssignments({ db, user }, { locale }) : [];
  const progress = new Map<string, LessonProgressSummary>(
    user ? (await progressForUser({ db, user })).map((p) => [p.lessonSlug, p]) : [],
  );

  return (
    <div className="flex flex-col gap-8">
      <section className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-stone-200">
        <h1 className="text-3xl font-bold tracking-tight">{t("heroTitle")}</h1>
        <p className="mt-2 max-w-2xl text-stone-700">{t("heroBody")}</p>
        {!user && <p className="mt-3 text-sm text-stone-500">{common("guestInvite")}</p>}
        <Link href="/notebooks/new" className="mt-4 inline-block rounded-md border border-stone-300 px-3 py-1.5 text-sm hover:bg-stone-100">
          {t("newNotebook")}
        </Link>
      </section>
      <AssignedLessons assignments={assigned} />
      <section>
        <h2 className="mb-3 text-xl font-semibold">{t("lessons")}</h2>
        {lessons.length === 0 && <p className="text-stone-600">{t("noLessons")}</p>}
        <ol className="grid gap-3 sm:grid-cols-2" data-testid="lesson-list">
          {lessons.map((lesson) => {
            const p = progress.get(lesson.slug);
            return (
              <li key={lesson.slug} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm" data-testid="lesson-card">
                <div className="text-xs text-stone-500">
                  {lesson.order}. {lesson.minutes ? t("minutes", { minutes: lesson.minutes }) : null}
                </div>
                <h3 className="mt-1 font-semibold">
                  <Link href={`/lessons/${lesson.slug}`} className="hover:text-accent">{lesson.title[locale]}</Link>
                </h3>
                <p className="mt-1 text-sm text-stone-600">{lesson.summary[locale]}</p>
                {p && (
                  <p className="mt-2 text-xs text-stone-500" data-testid="lesson-progress">
                    {t("progress", {
                      run: p.cellsRun,
                      total: p.cellsTotal,
                      passed: p.exercisesPassed.length,
                      quiz: p.quizScore == null ? "—" : `${Math.round(p.quizScore * 100)}%`,
                    })}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}
