"use client";
// The class page's way into its model challenges (instructor and students alike).
import { useTranslations } from "next-intl";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";

export function ChallengesLink({ classId }: { classId: string }) {
  const t = useTranslations("challenges");
  return (
    <Card className="flex flex-col gap-1">
      <Link href={`/classes/${classId}/challenges`} className="font-semibold text-accent hover:underline" data-testid="class-challenges-link">
        {t("classLink")} →
      </Link>
      <p className="text-sm text-stone-600">{t("classLinkHint")}</p>
    </Card>
  );
}
