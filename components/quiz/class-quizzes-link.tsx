"use client";
// The class page's way into its quizzes (self-paced assignments and live game records).
import { useTranslations } from "next-intl";
import { Card } from "@/components/ui/card";
import { Link } from "@/lib/i18n/navigation";

export function ClassQuizzesLink({ classId }: { classId: string }) {
  const t = useTranslations("quiz.classQuizzes");
  return (
    <Card className="flex flex-col gap-1">
      <Link href={`/classes/${classId}/quizzes`} className="font-semibold text-accent hover:underline" data-testid="class-quizzes-link">
        {t("link")} →
      </Link>
      <p className="text-sm text-stone-600">{t("linkHint")}</p>
    </Card>
  );
}
