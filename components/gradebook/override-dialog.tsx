"use client";
// Override one grade: a new score (percent or 0–1) and a required comment. The computed grade and
// every earlier override stay visible; the server keeps them all and the latest one counts.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useState, type FormEvent } from "react";
import { useErrorMessage } from "@/components/class/use-error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { parseScoreInput, type ScoreUnit } from "@/lib/gradebook/score-input";
import { useTRPC } from "@/lib/trpc/react";
import { formatItemScore, formatWhen, itemLabel, type GradebookOutputs } from "./format";

type Book = GradebookOutputs["forClass"];

export function OverrideDialog({ classId, student, item, onClose }: { classId: string; student: Book["students"][number]; item: Book["items"][number]; onClose: () => void }) {
  const t = useTranslations("gradebook");
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toMessage = useErrorMessage();
  const titleId = useId();
  const [score, setScore] = useState("");
  const [unit, setUnit] = useState<ScoreUnit>("percent");
  const [comment, setComment] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const cell = student.cells[item.key]!;
  const history = student.history?.[item.key] ?? [];
  const save = useMutation(
    trpc.gradebook.override.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.gradebook.pathKey() });
        onClose();
      },
    }),
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = parseScoreInput(score, unit);
    if (value === null) return setProblem(t("override.badScore"));
    if (comment.trim() === "") return setProblem(t("override.commentRequired"));
    setProblem(null);
    save.mutate({ classId, studentId: student.id, item: item.key, score: value, comment: comment.trim() });
  };

  return (
    <div className="fixed inset-0 z-40 flex items-center justify-center bg-black/30 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className="max-h-full w-full max-w-lg overflow-y-auto rounded-lg bg-white p-5 shadow-xl"
        onClick={(e) => e.stopPropagation()}
        data-testid="override-dialog"
      >
        <h2 id={titleId} className="text-lg font-semibold">{t("override.title")}</h2>
        <p className="text-sm">{t("override.student", { name: student.name })}</p>
        <p className="text-sm">{t("override.item", { title: itemLabel(item, t("kind.challenge"), t("kind.quiz")) })}</p>
        <dl className="mt-2 grid grid-cols-2 gap-1 text-sm">
          <dt className="text-stone-500">{t("override.computed")}</dt>
          <dd data-testid="override-computed">{formatItemScore(item, cell.computed.score, locale)}</dd>
          <dt className="text-stone-500">{t("override.current")}</dt>
          <dd data-testid="override-current">{formatItemScore(item, cell.score, locale)}</dd>
        </dl>
        <form className="mt-3 flex flex-col gap-3" onSubmit={submit} noValidate data-testid="override-form">
          <div className="grid grid-cols-[1fr_auto] gap-2">
            <Field label={t("override.score")}>
              <Input autoFocus name="score" inputMode="decimal" autoComplete="off" value={score} onChange={(e) => setScore(e.target.value)} />
            </Field>
            <Field label={t("override.unit")}>
              <select name="unit" className="rounded-md border border-stone-300 px-2 py-1.5 text-sm" value={unit} onChange={(e) => setUnit(e.target.value as ScoreUnit)}>
                <option value="percent">{t("override.unitPercent")}</option>
                <option value="fraction">{t("override.unitFraction")}</option>
              </select>
            </Field>
          </div>
          <Field label={t("override.comment")}>
            <textarea
              name="comment"
              required
              maxLength={1000}
              rows={3}
              className="rounded-md border border-stone-300 px-2.5 py-1.5 text-sm"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
          </Field>
          {problem && <Alert tone="error" testId="override-error">{problem}</Alert>}
          {save.error && <Alert tone="error" testId="override-error">{toMessage(save.error)}</Alert>}
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={onClose}>{t("override.cancel")}</Button>
            <Button type="submit" disabled={save.isPending} data-testid="override-save">{t("override.save")}</Button>
          </div>
        </form>
        <h3 className="mt-4 text-sm font-semibold">{t("override.history")}</h3>
        {history.length === 0 ? (
          <p className="text-sm text-stone-500">{t("override.noHistory")}</p>
        ) : (
          <ol className="mt-1 flex flex-col gap-1 text-sm" data-testid="override-history">
            {[...history].reverse().map((o, k) => (
              <li key={k} className="rounded border border-stone-200 px-2 py-1">
                <span className="font-medium">{t("override.historyEntry", { score: formatItemScore(item, o.score, locale), by: o.createdByName, at: formatWhen(o.createdAt, locale) })}</span>
                <span className="block whitespace-pre-wrap text-stone-700">{o.comment}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
