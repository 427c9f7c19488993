import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { GradebookView } from "@/components/gradebook/gradebook-view";
import { listLessons } from "@/lib/content/lessons";
import { isLocale } from "@/lib/i18n/routing";
import { getPageUser } from "@/lib/server/page-session";

export default async function GradebookPage({ params }: { params: Promise<{ locale: string; classId: string }> }) {
  const { locale, classId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes/${encodeURIComponent(classId)}/gradebook`);
  const lang = isLocale(locale) ? locale : "es";
  const lessons = listLessons().map((l) => ({ slug: l.slug, title: l.title[lang] }));
  return <GradebookView classId={classId} lessons={lessons} />;
}
