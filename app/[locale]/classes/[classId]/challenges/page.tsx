import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ClassChallenges } from "@/components/challenges/class-challenges";
import { getPageUser } from "@/lib/server/page-session";

export default async function ClassChallengesPage({ params }: { params: Promise<{ locale: string; classId: string }> }) {
  const { locale, classId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes/${encodeURIComponent(classId)}/challenges`);
  return <ClassChallenges classId={classId} />;
}
