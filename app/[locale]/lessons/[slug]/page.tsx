import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { LessonHeader } from "@/components/course/lesson-header";
import { AuthoredLesson } from "@/components/teach/authored-lesson";
import { NotebookView } from "@/components/notebook/notebook-view";
import { LessonLiveQuiz } from "@/components/quiz/lesson-live-quiz";
import { prerenderMarkdown } from "@/components/notebook/prerender";
import { getLessonMeta } from "@/lib/content/lessons";
import { isLocale, type Locale } from "@/lib/i18n/routing";
import { db } from "@/lib/server/db";
import { getPageUser } from "@/lib/server/page-session";
import { lessonClassFor } from "@/lib/server/services/classes";
import { publicLesson, warmLessonGrading } from "@/lib/server/services/grading/lessons";
import { isAuthoredSlug } from "@/lib/server/services/teach/access";
import "katex/dist/katex.min.css";

type Params = Promise<{ locale: string; slug: string }>;
type SearchParams = Promise<{ class?: string | string[] }>;

// Only the public document reaches the browser (props, RSC payload): no hidden tests, hints or solutions.
function load(slug: string, locale: Locale) {
  const lesson = publicLesson(slug, locale);
  if (!lesson) return null;
  return { meta: getLessonMeta(slug), doc: lesson.doc };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { locale, slug } = await params;
  if (!isLocale(locale)) return {};
  const lesson = load(slug, locale);
  return lesson ? { title: lesson.doc.metadata.title, description: lesson.meta?.summary[locale] } : {};
}

export default async function LessonPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ locale, slug }, query] = await Promise.all([params, searchParams]);
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  // An instructor's lesson (issue 15): its published version, for those who may read it.
  if (isAuthoredSlug(slug)) return <AuthoredLesson slug={slug} locale={locale} requestedClass={typeof query.class === "string" ? query.class : null} />;
  const lesson = load(slug, locale);
  if (!lesson) notFound();
  const [user, t] = await Promise.all([getPageUser(), getTranslations("notebook")]);
  // A signed-in student may submit: the grader gets the lesson's expectations ready meanwhile.
  if (user) warmLessonGrading(slug, locale);
  // `track` files this lesson's runs under the student's class (a `?class=` link, else the last joined).
  const cls = user ? await lessonClassFor({ db, user }, typeof query.class === "string" ? query.class : null) : null;
  return (
    <article className="mx-auto max-w-4xl" data-testid="lesson">
      <NotebookView
        storageKey={`lesson:${slug}:${locale}`}
        serverKey={user ? { kind: "lesson", slug, locale } : null}
        original={lesson.doc}
        prerendered={prerenderMarkdown(lesson.doc)}
        resettable
        lessonSlug={slug}
        classId={cls?.id ?? null}
        userId={user?.id ?? null}
        signedIn={Boolean(user)}
        header={
          <LessonHeader
            meta={lesson.meta}
            locale={locale}
            guestInvite={user ? null : t("guestInvite")}
            signInLabel={t("signInToSave")}
            backLabel={t("backToCourse")}
            minutesLabel={lesson.meta?.minutes ? t("minutes", { minutes: lesson.meta.minutes }) : null}
            slug={slug}
            classNote={cls ? t("runsFiledUnder", { name: cls.name }) : null}
          />
        }
      />
      {/* The live game's phone view, placed inside the lesson's quiz block. */}
      <LessonLiveQuiz defaultNickname={user?.name.slice(0, 24) ?? ""} lessonSlug={slug} instructor={user?.role === "instructor"} />
    </article>
  );
}
