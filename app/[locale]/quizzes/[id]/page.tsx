import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { QuizSetEditor } from "@/components/quiz/quiz-set-editor";
import { getPageUser } from "@/lib/server/page-session";

export default async function QuizSetPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/quizzes/${encodeURIComponent(id)}`);
  return <QuizSetEditor id={id} />;
}
