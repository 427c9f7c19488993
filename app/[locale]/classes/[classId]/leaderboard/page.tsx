import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ClassLeaderboard } from "@/components/gradebook/class-leaderboard";
import { getPageUser } from "@/lib/server/page-session";

export default async function ClassLeaderboardPage({ params }: { params: Promise<{ locale: string; classId: string }> }) {
  const { locale, classId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/classes/${encodeURIComponent(classId)}/leaderboard`);
  return <ClassLeaderboard classId={classId} />;
}
