// A published instructor's lesson as its readers see it (students of a class it is assigned to,
// its editors): the same notebook view as a course lesson, with the public document only, a note
// when it is not written in the reader's language, and "lesson updated" when a newer version is out.
import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { LessonHeader } from "@/components/course/lesson-header";
import { NotebookView } from "@/components/notebook/notebook-view";
import { prerenderMarkdown } from "@/components/notebook/prerender";
import type { Locale } from "@/lib/i18n/routing";
import { db } from "@/lib/server/db";
import { getPageUser } from "@/lib/server/page-session";
import { lessonClassFor } from "@/lib/server/services/classes";
import { warmAnyLessonGrading } from "@/lib/server/services/grading/lessons";
import { readerLesson } from "@/lib/server/services/teach/student";
import { LessonUpdateBanner } from "./lesson-update-banner";
import "katex/dist/katex.min.css";

const LANGUAGE: Record<Locale, string> = { es: "español", en: "English" };

export async function AuthoredLesson({ slug, locale, requestedClass }: { slug: string; locale: Locale; requestedClass: string | null }) {
  const user = await getPageUser();
  if (!user) notFound();
  const ctx = { db, user };
  const lesson = await readerLesson(ctx, slug, locale);
  if (!lesson) notFound();
  void warmAnyLessonGrading(ctx, slug, lesson.locale);
  const [t, tt, cls] = await Promise.all([getTranslations("notebook"), getTranslations("teach.update"), lessonClassFor(ctx, requestedClass)]);
  return (
    <article className="mx-auto max-w-4xl" data-testid="lesson" data-authored="true">
      <LessonUpdateBanner slug={slug} locale={lesson.locale} />
      {lesson.otherLanguage && (
        <p className="mb-2 rounded border border-blue-200 bg-accent-soft px-3 py-1 text-sm" data-testid="other-language">
          {tt("otherLanguage", { language: LANGUAGE[lesson.locale] })}
        </p>
      )}
      <NotebookView
        storageKey={`lesson:${slug}:${lesson.locale}`}
        serverKey={{ kind: "lesson", slug, locale: lesson.locale }}
        original={lesson.doc}
        prerendered={prerenderMarkdown(lesson.doc)}
        resettable
        lessonSlug={slug}
        classId={cls?.id ?? null}
        userId={user.id}
        signedIn
        header={
          <LessonHeader
            meta={null}
            locale={locale}
            guestInvite={null}
            signInLabel={t("signInToSave")}
            backLabel={t("backToCourse")}
            minutesLabel={lesson.minutes ? t("minutes", { minutes: lesson.minutes }) : null}
            slug={slug}
            classNote={cls ? t("runsFiledUnder", { name: cls.name }) : null}
          />
        }
      />
    </article>
  );
}
