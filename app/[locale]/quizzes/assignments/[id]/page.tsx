import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { AssignmentPage } from "@/components/quiz/self-paced";
import { getPageUser } from "@/lib/server/page-session";

export default async function QuizAssignmentPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/quizzes/assignments/${encodeURIComponent(id)}`);
  return <AssignmentPage assignmentId={id} role={user.role} />;
}
