"use client";
// The instructor's "create a challenge from my CSV" form: the file is read in the browser to offer
// its columns and the target's values; the server parses and checks it again and creates nothing
// when anything is wrong.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useMemo, useState, type ChangeEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { METRIC_IDS } from "@/lib/challenges/metrics";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { checkCreateForm, GENERATE_IDS, needsPositiveLabel, type CreateFormValues, type CreateProblem } from "./create-form-check";
import { guessIdColumn, readCsvPreview, type CsvPreview } from "./csv-preview";
import { instantToZonedLocal } from "@/lib/time-zone";
import { useChallengeError } from "./use-challenge-error";

/** tRPC carries the CSV as text up to 4 MB (TRPC_CSV_MAX_CHARS on the server). */
const MAX_CSV_MB = 4;
const selectClass = "rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm";

type FileProblem = "noFile" | "tooBig" | "empty" | "unreadable" | "tooFewColumns" | "noRows";

function defaultDeadline(timeZone: string): string {
  // A week from now, at 23:59 in the class's zone.
  const wall = instantToZonedLocal(new Date(Date.now() + 7 * 24 * 3600 * 1000), timeZone);
  return `${wall.slice(0, 10)}T23:59`;
}

export function CreateChallengeForm({ classId, timeZone }: { classId: string; timeZone: string }) {
  const t = useTranslations("challenges.create");
  const tm = useTranslations("challenges.metrics");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useChallengeError();
  const formId = useId();
  const [csv, setCsv] = useState<string | null>(null);
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [fileProblem, setFileProblem] = useState<FileProblem | null>(null);
  const [problems, setProblems] = useState<CreateProblem[]>([]);
  const [created, setCreated] = useState<{ id: string; title: string } | null>(null);
  const [values, setValues] = useState<CreateFormValues>(() => ({
    title: "",
    description: "",
    targetColumn: "",
    idColumn: "",
    metric: "f1",
    positiveLabel: "",
    deadline: defaultDeadline(timeZone),
    dailyLimit: "5",
    publicPercent: "30",
  }));
  const set = (key: keyof CreateFormValues) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  const create = useMutation(
    trpc.challenges.createFromCsv.mutationOptions({
      onSuccess: (c) => {
        setCreated({ id: c.id, title: c.title });
        void queryClient.invalidateQueries({ queryKey: trpc.challenges.list.queryKey({ classId }) });
      },
    }),
  );

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setCsv(null);
    setPreview(null);
    setProblems([]);
    create.reset();
    if (!file) return setFileProblem(null);
    if (file.size > MAX_CSV_MB * 1024 * 1024) return setFileProblem("tooBig");
    const text = await file.text();
    const result = readCsvPreview(text);
    if (!result.ok) return setFileProblem(result.problem);
    setFileProblem(null);
    setCsv(text);
    setPreview(result.preview);
    const cols = result.preview.columns;
    const id = guessIdColumn(cols);
    const target = cols.filter((c) => c !== id).at(-1) ?? "";
    setValues((v) => ({
      ...v,
      title: v.title || file.name.replace(/\.csv$/i, ""),
      idColumn: id ?? GENERATE_IDS,
      targetColumn: target,
      positiveLabel: "",
    }));
  }

  const labels = useMemo(() => (preview && values.targetColumn ? (preview.values[values.targetColumn] ?? []) : []), [preview, values.targetColumn]);
  const positive = needsPositiveLabel(values.metric);

  function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setCreated(null);
    create.reset();
    if (fileProblem) return setProblems([]);
    const checked = checkCreateForm(values, preview, timeZone, new Date());
    if (!checked.ok) return setProblems(checked.problems);
    setProblems([]);
    create.mutate({ classId, csv: csv!, ...checked.input });
  }

  const invalid = (p: CreateProblem) => (problems.includes(p) ? true : undefined);
  const shown = fileProblem ? [fileProblem] : problems;
  return (
    <Card>
      <form className="flex flex-col gap-3" onSubmit={onSubmit} noValidate data-testid="create-challenge-form" aria-describedby={`${formId}-hint`}>
        <div>
          <h2 className="font-semibold">{t("title")}</h2>
          <p id={`${formId}-hint`} className="text-sm text-stone-600">{t("hint")}</p>
        </div>
        <Field label={t("file")} hint={t("fileHint", { mb: MAX_CSV_MB })}>
          <input type="file" name="file" accept=".csv,text/csv" onChange={(e) => void onFile(e)} className="text-sm" aria-invalid={fileProblem || invalid("noFile") ? true : undefined} />
        </Field>
        {preview && (
          <p className="text-sm text-stone-600" data-testid="create-challenge-summary">
            {t("summary", { rows: preview.rowCount, columns: preview.columns.length })}
          </p>
        )}
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label={t("titleField")}>
            <Input name="title" value={values.title} onChange={set("title")} maxLength={120} aria-invalid={invalid("title")} />
          </Field>
          <Field label={t("metric")}>
            <select name="metric" value={values.metric} onChange={set("metric")} className={selectClass} aria-invalid={invalid("metric")}>
              {METRIC_IDS.map((m) => (
                <option key={m} value={m}>{tm(m)}</option>
              ))}
            </select>
          </Field>
          <Field label={t("target")}>
            <select name="targetColumn" value={values.targetColumn} onChange={set("targetColumn")} className={selectClass} aria-invalid={invalid("target") ?? invalid("sameColumn")}>
              <option value="">{t("choose")}</option>
              {preview?.columns.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label={t("idColumn")}>
            <select name="idColumn" value={values.idColumn} onChange={set("idColumn")} className={selectClass} aria-invalid={invalid("idColumn") ?? invalid("sameColumn")}>
              <option value="">{t("choose")}</option>
              <option value={GENERATE_IDS}>{t("idGenerate")}</option>
              {preview?.columns.map((c) => (
                <option key={c} value={c}>{c}</option>
              ))}
            </select>
          </Field>
          {positive && (
            <Field label={t("positiveLabel")} hint={t("positiveLabelHint")}>
              <select name="positiveLabel" value={values.positiveLabel} onChange={set("positiveLabel")} className={selectClass} aria-invalid={invalid("positiveLabel")}>
                <option value="">{t("choose")}</option>
                {labels.map((l) => (
                  <option key={l} value={l}>{l}</option>
                ))}
              </select>
            </Field>
          )}
          <Field label={t("deadline", { zone: timeZone })}>
            <Input type="datetime-local" name="deadline" value={values.deadline} onChange={set("deadline")} aria-invalid={invalid("deadline") ?? invalid("deadlinePast")} />
          </Field>
          <Field label={t("dailyLimit")} hint={t("dailyLimitHint")}>
            <Input type="number" name="dailyLimit" min={1} max={100} step={1} value={values.dailyLimit} onChange={set("dailyLimit")} aria-invalid={invalid("dailyLimit")} />
          </Field>
          <Field label={t("publicShare")} hint={t("publicShareHint")}>
            <Input type="number" name="publicPercent" min={5} max={95} step={1} value={values.publicPercent} onChange={set("publicPercent")} aria-invalid={invalid("publicShare")} />
          </Field>
        </div>
        <Field label={t("description")} hint={t("descriptionHint")}>
          <textarea name="description" value={values.description} onChange={set("description")} rows={3} maxLength={5000} className="rounded-md border border-stone-300 bg-white px-2.5 py-1.5 text-sm" />
        </Field>
        {shown.length > 0 && (
          <Alert tone="error" testId="create-challenge-error">
            <ul className="list-disc pl-4">
              {shown.map((p) => (
                <li key={p}>{t(`problems.${p}`, { mb: MAX_CSV_MB })}</li>
              ))}
            </ul>
          </Alert>
        )}
        {create.error && <Alert tone="error" testId="create-challenge-error">{toMessage(create.error)}</Alert>}
        {created && (
          <Alert tone="success" testId="create-challenge-ok">
            <Link href={`/challenges/${created.id}`} className="underline">{t("created", { title: created.title })}</Link>
          </Alert>
        )}
        <div>
          <Button type="submit" disabled={create.isPending}>{create.isPending ? t("creating") : t("submit")}</Button>
        </div>
      </form>
    </Card>
  );
}
