"use client";
// The class's grading settings for its instructor: time zone and what leaderboards call students
// (stored by challenges.updateSettings, which the challenge pages use too), and a deadline per
// lesson typed as a date and time in the class's zone.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { isValidTimeZone } from "@/lib/time-zone";
import { useTRPC } from "@/lib/trpc/react";

const zones: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
})();

export function GradingSettings({ classId, lessons }: { classId: string; lessons: { slug: string; title: string }[] }) {
  const t = useTranslations("gradebook.settings");
  const trpc = useTRPC();
  const settings = useQuery(trpc.gradebook.settings.queryOptions({ classId }));
  if (!settings.data) return null;
  const deadlines = new Map(settings.data.deadlines.map((d) => [d.lessonSlug, d.local]));
  return (
    <Card className="flex flex-col gap-4">
      <h2 className="font-semibold">{t("title")}</h2>
      <ClassSettingsForm key={`${settings.data.timeZone}|${settings.data.leaderboardNames}`} classId={classId} timeZone={settings.data.timeZone} names={settings.data.leaderboardNames} />
      <div>
        <h3 className="text-sm font-semibold">{t("deadlines")}</h3>
        <p className="text-xs text-stone-500">{settings.data.timeZone}</p>
        <ul className="mt-2 flex flex-col gap-2" data-testid="deadline-list">
          {lessons.map((l) => (
            <DeadlineRow key={`${l.slug}|${deadlines.get(l.slug) ?? ""}`} classId={classId} lesson={l} local={deadlines.get(l.slug) ?? ""} />
          ))}
        </ul>
      </div>
    </Card>
  );
}

function ClassSettingsForm({ classId, timeZone, names }: { classId: string; timeZone: string; names: "name" | "nickname" }) {
  const t = useTranslations("gradebook.settings");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const [zone, setZone] = useState(timeZone);
  const [mode, setMode] = useState(names);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(
    trpc.challenges.updateSettings.mutationOptions({
      onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.gradebook.pathKey() }), queryClient.invalidateQueries({ queryKey: trpc.challenges.pathKey() })]),
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!isValidTimeZone(zone.trim())) return setProblem(t("badTimeZone"));
    setProblem(null);
    save.mutate({ classId, timeZone: zone.trim(), leaderboardNames: mode });
  };
  return (
    <form className="grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end" onSubmit={submit} data-testid="class-settings-form">
      <Field label={t("timeZone")} hint={t("timeZoneHint")}>
        <Input name="timeZone" list="gradebook-zones" value={zone} onChange={(e) => setZone(e.target.value)} maxLength={64} />
      </Field>
      <datalist id="gradebook-zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
      <Field label={t("leaderboardNames")}>
        <select name="leaderboardNames" className="rounded-md border border-stone-300 px-2 py-1.5 text-sm" value={mode} onChange={(e) => setMode(e.target.value as "name" | "nickname")}>
          <option value="name">{t("namesName")}</option>
          <option value="nickname">{t("namesNickname")}</option>
        </select>
      </Field>
      <Button type="submit" disabled={save.isPending}>{t("save")}</Button>
      <div className="sm:col-span-3">
        {problem && <Alert tone="error">{problem}</Alert>}
        {save.error && <Alert tone="error">{toMessage(save.error)}</Alert>}
        {save.isSuccess && <Alert tone="success">{t("saved")}</Alert>}
      </div>
    </form>
  );
}

function DeadlineRow({ classId, lesson, local }: { classId: string; lesson: { slug: string; title: string }; local: string }) {
  const t = useTranslations("gradebook.settings");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const [value, setValue] = useState(local);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(
    trpc.gradebook.setDeadline.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.gradebook.pathKey() }) }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return setProblem(t("badDeadline"));
    setProblem(null);
    save.mutate({ classId, lessonSlug: lesson.slug, local: value });
  };
  return (
    <li data-testid="deadline-row" data-lesson={lesson.slug}>
      <form className="flex flex-wrap items-center gap-2" onSubmit={submit}>
        <label className="min-w-48 flex-1 text-sm" htmlFor={`due-${lesson.slug}`}>{lesson.title}</label>
        <Input
          id={`due-${lesson.slug}`}
          type="datetime-local"
          aria-label={t("deadlineFor", { lesson: lesson.title })}
          value={value}
          onChange={(e) => setValue(e.target.value.slice(0, 16))}
        />
        <Button type="submit" variant="secondary" disabled={save.isPending}>{t("saveDeadline")}</Button>
        {local && (
          <Button type="button" variant="ghost" disabled={save.isPending} onClick={() => save.mutate({ classId, lessonSlug: lesson.slug, local: null })}>
            {t("clearDeadline")}
          </Button>
        )}
        {!local && <span className="text-xs text-stone-500">{t("noDeadline")}</span>}
      </form>
      {problem && <Alert tone="error">{problem}</Alert>}
      {save.error && <Alert tone="error">{toMessage(save.error)}</Alert>}
    </li>
  );
}
