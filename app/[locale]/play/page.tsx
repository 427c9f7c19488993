import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { PlayerScreen } from "@/components/quiz/player-screen";
import { getPageUser } from "@/lib/server/page-session";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "quiz.play" });
  return { title: t("title") };
}

// /{locale}/play: join a live quiz with the game PIN (no account needed; a signed-in student's
// session links the player to their account when the socket opens).
export default async function PlayPage({ params, searchParams }: { params: Promise<{ locale: string }>; searchParams: Promise<{ pin?: string | string[] }> }) {
  const [{ locale }, query] = await Promise.all([params, searchParams]);
  setRequestLocale(locale);
  const user = await getPageUser();
  const pin = typeof query.pin === "string" && /^\d{6}$/.test(query.pin) ? query.pin : "";
  return <PlayerScreen initialPin={pin} defaultNickname={user?.name.slice(0, 24) ?? ""} />;
}
