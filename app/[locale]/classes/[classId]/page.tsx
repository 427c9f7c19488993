import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ClassDetail } from "@/components/class/class-detail";
import { ClassAssignments } from "@/components/teach/class-assignments";
import { listLessons } from "@/lib/content/lessons";
import { env } from "@/lib/env";
import { isLocale } from "@/lib/i18n/routing";
import { getPageUser } from "@/lib/server/page-session";

export default async function ClassPage({ params }: { params: Promise<{ locale: string; classId: string }> }) {
  const { locale, classId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes/${encodeURIComponent(classId)}`);
  const lang = isLocale(locale) ? locale : "es";
  const lessons = listLessons().map((l) => ({ slug: l.slug, title: l.title[lang] }));
  return (
    <>
      <ClassDetail classId={classId} origin={env.CUADERNO_URL} lessons={lessons} />
      <ClassAssignments classId={classId} />
    </>
  );
}
