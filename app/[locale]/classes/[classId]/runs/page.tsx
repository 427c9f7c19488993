import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ClassRuns } from "@/components/tracking/class-runs";
import { listLessons } from "@/lib/content/lessons";
import { isLocale } from "@/lib/i18n/routing";
import { getPageUser } from "@/lib/server/page-session";

export default async function ClassRunsPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string; classId: string }>;
  searchParams: Promise<{ lesson?: string | string[] }>;
}) {
  const { locale, classId } = await params;
  setRequestLocale(locale);
  const { lesson } = await searchParams;
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes/${encodeURIComponent(classId)}/runs`);
  const lang = isLocale(locale) ? locale : "es";
  const lessons = listLessons().map((l) => ({ slug: l.slug, title: l.title[lang] }));
  const slug = Array.isArray(lesson) ? lesson[0] : lesson;
  // An unknown slug is still passed on (a lesson may have been renamed); a malformed one is dropped.
  const lessonSlug = slug && /^[a-z0-9-]{1,100}$/.test(slug) ? slug : null;
  return <ClassRuns key={lessonSlug ?? ""} classId={classId} lessonSlug={lessonSlug} lessons={lessons} />;
}
