import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ClassQuizzes } from "@/components/quiz/class-quizzes";
import { getPageUser } from "@/lib/server/page-session";

export default async function ClassQuizzesPage({ params }: { params: Promise<{ locale: string; classId: string }> }) {
  const { locale, classId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes/${encodeURIComponent(classId)}/quizzes`);
  return <ClassQuizzes classId={classId} />;
}
