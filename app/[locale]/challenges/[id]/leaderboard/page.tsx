import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { Leaderboard } from "@/components/challenges/leaderboard";
import { getPageUser } from "@/lib/server/page-session";

export default async function LeaderboardPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/challenges/${encodeURIComponent(id)}/leaderboard`);
  return <Leaderboard challengeId={id} />;
}
