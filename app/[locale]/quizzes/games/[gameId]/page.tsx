import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { GameResults } from "@/components/quiz/game-results";
import { getPageUser } from "@/lib/server/page-session";

export default async function GameResultsPage({ params }: { params: Promise<{ locale: string; gameId: string }> }) {
  const { locale, gameId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/quizzes/games/${encodeURIComponent(gameId)}`);
  return <GameResults gameId={gameId} />;
}
