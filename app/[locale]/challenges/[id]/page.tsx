import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import { ChallengeView } from "@/components/challenges/challenge-view";
import { getPageUser } from "@/lib/server/page-session";

export default async function ChallengePage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  setRequestLocale(locale);
  const user = await getPageUser();
  if (!user) redirect(`/${locale}/sign-in?next=/${locale}/challenges/${encodeURIComponent(id)}`);
  return <ChallengeView challengeId={id} />;
}
