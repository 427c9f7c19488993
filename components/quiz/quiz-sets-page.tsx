"use client";
// The instructor's quizzes: host any lesson's quiz live as it is written, or a quiz set of their
// own; create, edit and delete sets. Hosting asks for the class whose records get the scores
// (optional) and the game's settings (podium places, streaks, speed points).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { Link, useRouter } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { useQuizError } from "./use-quiz-error";

export interface HostOptions {
  classId: string;
  podiumPlaces: number;
  streaks: boolean;
  speedBonus: boolean;
}

export function HostOptionsForm({ value, onChange }: { value: HostOptions; onChange: (v: HostOptions) => void }) {
  const t = useTranslations("quiz.sets");
  const trpc = useTRPC();
  const classes = useQuery(trpc.classes.mine.queryOptions());
  const mine = (classes.data ?? []).filter((c) => c.role === "instructor");
  return (
    <div className="grid gap-3 sm:grid-cols-4">
      <Field label={t("class")} hint={t("classHint")}>
        <select className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm" value={value.classId} onChange={(e) => onChange({ ...value, classId: e.target.value })} data-testid="host-class">
          <option value="">{t("noClass")}</option>
          {mine.map((c) => (
            <option key={c.id} value={c.id}>{c.name}</option>
          ))}
        </select>
      </Field>
      <Field label={t("podiumPlaces")}>
        <Input type="number" min={1} max={20} value={value.podiumPlaces} onChange={(e) => onChange({ ...value, podiumPlaces: Math.min(20, Math.max(1, Number(e.target.value) || 3)) })} data-testid="host-podium-places" />
      </Field>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={value.streaks} onChange={(e) => onChange({ ...value, streaks: e.target.checked })} data-testid="host-streaks" />
        {t("streaks")}
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={value.speedBonus} onChange={(e) => onChange({ ...value, speedBonus: e.target.checked })} />
        {t("speedBonus")}
      </label>
    </div>
  );
}

export const DEFAULT_HOST_OPTIONS: HostOptions = { classId: "", podiumPlaces: 3, streaks: true, speedBonus: true };

export function useHostGame() {
  const trpc = useTRPC();
  const router = useRouter();
  return useMutation(
    trpc.quizzes.host.mutationOptions({
      onSuccess: (g) => router.push(`/quizzes/host/${g.gameId}`),
    }),
  );
}

export function hostInput(source: { quizSetId: string } | { lessonSlug: string; quizId: string; locale: "es" | "en" }, o: HostOptions) {
  return { source, classId: o.classId || null, settings: { podiumPlaces: o.podiumPlaces, streaks: o.streaks, speedBonus: o.speedBonus } };
}

export function QuizSetsPage() {
  const t = useTranslations("quiz.sets");
  const locale = useLocale() as "es" | "en";
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toMessage = useQuizError();
  const router = useRouter();
  const sets = useQuery(trpc.quizzes.list.queryOptions());
  const bank = useQuery(trpc.quizzes.lessonBank.queryOptions({ locale }));
  const [options, setOptions] = useState<HostOptions>(DEFAULT_HOST_OPTIONS);
  const host = useHostGame();
  const [title, setTitle] = useState("");
  const create = useMutation(trpc.quizzes.create.mutationOptions({ onSuccess: (s) => router.push(`/quizzes/${s.id}`) }));
  const remove = useMutation(trpc.quizzes.delete.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.quizzes.list.queryKey() }) }));

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <Card className="flex flex-col gap-3">
        <h2 className="font-semibold">{t("hostSettings")}</h2>
        <HostOptionsForm value={options} onChange={setOptions} />
        {host.error && <Alert tone="error">{toMessage(host.error)}</Alert>}
      </Card>

      <Card className="flex flex-col gap-3">
        <h2 className="font-semibold">{t("mySets")}</h2>
        {sets.error && <Alert tone="error">{toMessage(sets.error)}</Alert>}
        {sets.data && sets.data.length === 0 && <p className="text-sm text-stone-500">{t("noSets")}</p>}
        <ul className="flex flex-col divide-y divide-stone-200" data-testid="quiz-sets">
          {sets.data?.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="quiz-set">
              <Link href={`/quizzes/${s.id}`} className="font-medium hover:text-accent">{s.title}</Link>
              <span className="text-sm text-stone-500">{t("questionCount", { count: s.questionCount })}</span>
              <span className="ml-auto flex gap-2">
                <Button disabled={host.isPending || s.questionCount === 0} onClick={() => host.mutate(hostInput({ quizSetId: s.id }, options))} data-testid="host-set">
                  {t("hostLive")}
                </Button>
                <Button variant="danger" onClick={() => window.confirm(t("deleteConfirm", { title: s.title })) && remove.mutate({ id: s.id })}>{t("delete")}</Button>
              </span>
            </li>
          ))}
        </ul>
        <form
          className="flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (title.trim()) create.mutate({ title: title.trim(), locale });
          }}
        >
          <Field label={t("newSet")}>
            <Input value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} placeholder={t("newSetPlaceholder")} data-testid="new-set-title" />
          </Field>
          <Button type="submit" disabled={create.isPending || !title.trim()} data-testid="new-set-create">{t("create")}</Button>
        </form>
        {create.error && <Alert tone="error">{toMessage(create.error)}</Alert>}
      </Card>

      <Card className="flex flex-col gap-3">
        <h2 className="font-semibold">{t("lessonQuizzes")}</h2>
        <p className="text-sm text-stone-500">{t("lessonQuizzesHint")}</p>
        <ul className="flex flex-col divide-y divide-stone-200" data-testid="lesson-quizzes">
          {bank.data?.map((q) => (
            <li key={`${q.lessonSlug}/${q.quizId}`} className="flex flex-wrap items-center gap-3 py-2" data-testid="lesson-quiz" data-lesson={q.lessonSlug}>
              <span className="font-medium">{q.lessonTitle}</span>
              <span className="text-sm text-stone-500">{t("questionCount", { count: q.questions.length })}</span>
              <Button className="ml-auto" disabled={host.isPending} onClick={() => host.mutate(hostInput({ lessonSlug: q.lessonSlug, quizId: q.quizId, locale }, options))} data-testid="host-lesson">
                {t("hostLive")}
              </Button>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
