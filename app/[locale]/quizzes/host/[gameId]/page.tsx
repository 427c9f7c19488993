import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { HostScreen } from "@/components/quiz/host-screen";
import { getPageUser } from "@/lib/server/page-session";

// The projector screen of a live game; the WebSocket checks that the session is the game's host.
export default async function HostPage({ params }: { params: Promise<{ locale: string; gameId: string }> }) {
  const { locale, gameId } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/quizzes/host/${encodeURIComponent(gameId)}`);
  return <HostScreen gameId={gameId} />;
}
