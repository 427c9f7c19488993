"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ClassGradingLinks } from "@/components/gradebook/class-links";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { ClassRunsLink } from "@/components/tracking/class-runs";
import { ChallengesLink } from "@/components/challenges/challenges-link";
import { ClassQuizzesLink } from "@/components/quiz/class-quizzes-link";
import { ClassEndpointsLink } from "@/components/endpoints/class-endpoints";
import { useErrorMessage } from "./use-error-message";

export function ClassDetail({ classId, origin, lessons }: { classId: string; origin: string; lessons: { slug: string; title: string }[] }) {
  const t = useTranslations("classes");
  const trpc = useTRPC();
  const toMessage = useErrorMessage();
  const cls = useQuery(trpc.classes.get.queryOptions({ classId }));
  if (cls.error) return <Alert tone="error">{toMessage(cls.error)}</Alert>;
  if (!cls.data) return null;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-bold" data-testid="class-name">{cls.data.name}</h1>
      {cls.data.role === "instructor" ? (
        <>
          <ClassRunsLink classId={classId} />
          <ClassEndpointsLink classId={classId} />
          <InstructorPanel classId={classId} joinCode={cls.data.joinCode!} origin={origin} />
        </>
      ) : (
        <p className="text-stone-600">{t("teaches", { name: cls.data.instructorName })}</p>
      )}
      <ClassGradingLinks classId={classId} role={cls.data.role} />
      <ChallengesLink classId={classId} />
      <ClassQuizzesLink classId={classId} />
      {lessons.length > 0 && (
        <Card>
          <h2 className="font-semibold">{t("lessons")}</h2>
          <p className="text-sm text-stone-500">{t("lessonsHint")}</p>
          <ol className="mt-2 list-decimal pl-5" data-testid="class-lessons">
            {lessons.map((l) => (
              <li key={l.slug}>
                <Link href={`/lessons/${l.slug}?class=${encodeURIComponent(classId)}`} className="hover:text-accent">{l.title}</Link>
              </li>
            ))}
          </ol>
        </Card>
      )}
    </div>
  );
}

function InstructorPanel({ classId, joinCode, origin }: { classId: string; joinCode: string; origin: string }) {
  const t = useTranslations("classes");
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const roster = useQuery(trpc.classes.roster.queryOptions({ classId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.classes.pathKey() });
  const rotate = useMutation(trpc.classes.rotateCode.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.classes.removeStudent.mutationOptions({ onSuccess: refresh }));
  const link = `${origin}/${locale}/join/${joinCode}`;
  return (
    <>
      <Card className="flex flex-col gap-2">
        <div className="text-sm text-stone-600">{t("code")}</div>
        <code className="text-2xl font-bold tracking-widest" data-testid="class-code">{joinCode}</code>
        <div className="text-sm text-stone-600">{t("link")}</div>
        <code className="break-all text-sm" data-testid="class-link">{link}</code>
        <div className="flex items-center gap-3">
          <Button variant="secondary" onClick={() => rotate.mutate({ classId })} disabled={rotate.isPending} data-testid="rotate-code">
            {t("rotate")}
          </Button>
          <span className="text-xs text-stone-500">{t("rotateHint")}</span>
        </div>
        {rotate.error && <Alert tone="error">{toMessage(rotate.error)}</Alert>}
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("roster")}</h2>
        {remove.error && <Alert tone="error">{toMessage(remove.error)}</Alert>}
        {roster.data?.length === 0 && <p className="text-sm text-stone-600">{t("rosterEmpty")}</p>}
        <ul className="divide-y divide-stone-200" data-testid="roster">
          {roster.data?.map((s) => (
            <li key={s.userId} className="flex items-center justify-between py-2" data-testid="roster-entry">
              <span>
                {s.name} <span className="text-sm text-stone-500">{s.email}</span>
              </span>
              <Button
                variant="danger"
                onClick={() => window.confirm(t("removeConfirm", { name: s.name })) && remove.mutate({ classId, userId: s.userId })}
              >
                {t("remove")}
              </Button>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
