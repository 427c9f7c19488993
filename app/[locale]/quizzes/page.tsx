import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { QuizSetsPage } from "@/components/quiz/quiz-sets-page";
import { getPageUser } from "@/lib/server/page-session";

export default async function QuizzesPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/quizzes`);
  if (user.role !== "instructor") redirect(`/${locale}/play`);
  return <QuizSetsPage />;
}
