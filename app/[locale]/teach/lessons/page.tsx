import { setRequestLocale } from "next-intl/server";
import { notFound, redirect } from "next/navigation";
import { LessonLibrary } from "@/components/teach/lesson-library";
import { listLessons } from "@/lib/content/lessons";
import { isLocale } from "@/lib/i18n/routing";
import { getPageUser } from "@/lib/server/page-session";

export default async function TeachLessonsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!isLocale(locale)) notFound();
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/teach/lessons`);
  if (user.role !== "instructor") notFound();
  return <LessonLibrary builtins={listLessons().map((l) => ({ slug: l.slug, title: l.title[locale] }))} />;
}
