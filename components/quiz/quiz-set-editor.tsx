"use client";
// Editing a quiz set: its title; questions taken from lesson quiz blocks; the instructor's own
// questions of all seven types (question, answers, time limit, points, explanation, optional
// image and code snippet). The set is saved as shown; the server checks every question and names
// the one at fault.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { QUESTION_LIMITS, QUESTION_TYPES, type QuestionType } from "@/lib/live/questions";
import type { SetItem } from "@/lib/quiz-sets/set-questions";
import { Link } from "@/lib/i18n/navigation";
import { useTRPC } from "@/lib/trpc/react";
import { OptionShape } from "./answer-shapes";
import { DEFAULT_HOST_OPTIONS, HostOptionsForm, hostInput, useHostGame, type HostOptions } from "./quiz-sets-page";
import { useQuizError } from "./use-quiz-error";

// A question while it is edited: loose on purpose (half-typed numbers, empty options); the server's schema decides.
type Draft = Record<string, unknown> & { type: QuestionType; prompt: string };
interface DraftItem {
  key: number;
  question: Draft;
  origin?: SetItem["origin"];
}

let keySeq = 1;

function blank(type: QuestionType): Draft {
  const base = { type, prompt: "", timeLimitSec: 20, points: type === "poll" ? 0 : 1000 };
  switch (type) {
    case "single":
      return { ...base, options: ["", ""], correct: 0 };
    case "multi":
      return { ...base, options: ["", "", ""], correct: [0] };
    case "truefalse":
      return { ...base, correct: true };
    case "numeric":
      return { ...base, answer: 0, tolerance: 0 };
    case "text":
      return { ...base, accepted: [""] };
    case "order":
      return { ...base, items: ["", "", ""] };
    case "poll":
      return { ...base, options: ["", ""] };
  }
}

/** Drops empty optional parts before saving (an empty explanation, image or code is "none"). */
function clean(q: Draft): Draft {
  const out: Draft = { ...q };
  if (typeof out.explanation === "string" && out.explanation.trim() === "") delete out.explanation;
  const image = out.image as { src?: string; alt?: string } | undefined;
  if (image && !image.src?.trim() && !image.alt?.trim()) delete out.image;
  const code = out.code as { source?: string } | undefined;
  if (code && !code.source?.trim()) delete out.code;
  if (typeof out.unit === "string" && out.unit.trim() === "") delete out.unit;
  return out;
}

export function QuizSetEditor({ id }: { id: string }) {
  const t = useTranslations("quiz.editor");
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toMessage = useQuizError();
  const set = useQuery(trpc.quizzes.get.queryOptions({ id }));
  const [title, setTitle] = useState("");
  const [items, setItems] = useState<DraftItem[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState(false);
  const [hostOptions, setHostOptions] = useState<HostOptions>(DEFAULT_HOST_OPTIONS);
  const host = useHostGame();

  useEffect(() => {
    if (set.data && items === null) {
      setTitle(set.data.title);
      setItems(set.data.items.map((i) => ({ key: keySeq++, question: i.question as unknown as Draft, origin: i.origin })));
    }
  }, [set.data, items]);

  const save = useMutation(
    trpc.quizzes.update.mutationOptions({
      onSuccess: (s) => {
        setItems(s.items.map((i) => ({ key: keySeq++, question: i.question as unknown as Draft, origin: i.origin })));
        setDirty(false);
        setSaved(true);
        setOpen(null);
        qc.invalidateQueries({ queryKey: trpc.quizzes.pathKey() });
      },
    }),
  );

  if (set.error) return <Alert tone="error">{toMessage(set.error)}</Alert>;
  if (!set.data || !items) return null;

  const change = (next: DraftItem[]) => {
    setItems(next);
    setDirty(true);
    setSaved(false);
  };
  const update = (key: number, q: Draft) => change(items.map((i) => (i.key === key ? { ...i, question: q } : i)));
  const move = (k: number, d: -1 | 1) => {
    const j = k + d;
    if (j < 0 || j >= items.length) return;
    const next = [...items];
    [next[k], next[j]] = [next[j], next[k]];
    change(next);
  };

  return (
    <div className="flex flex-col gap-4" data-testid="quiz-set-editor">
      <div className="flex flex-wrap items-end gap-3">
        <Field label={t("setTitle")}>
          <Input value={title} maxLength={120} onChange={(e) => { setTitle(e.target.value); setDirty(true); setSaved(false); }} data-testid="set-title" className="min-w-80 text-lg" />
        </Field>
        <Button disabled={save.isPending || !dirty} onClick={() => save.mutate({ id, title, items: items.map((i) => ({ question: clean(i.question), ...(i.origin ? { origin: i.origin } : {}) })) })} data-testid="set-save">
          {save.isPending ? t("saving") : t("save")}
        </Button>
        <Link href="/quizzes" className="text-sm text-accent hover:underline">{t("back")}</Link>
      </div>
      {save.error && <Alert tone="error" testId="set-save-error">{toMessage(save.error)}</Alert>}
      {saved && <Alert tone="success" testId="set-saved">{t("saved")}</Alert>}
      {dirty && <p className="text-sm text-amber-800">{t("unsaved")}</p>}

      <ol className="flex flex-col gap-2" data-testid="set-items">
        {items.map((item, k) => (
          <li key={item.key} className="rounded-lg border border-stone-200 bg-white" data-testid="set-item" data-type={item.question.type}>
            <div className="flex flex-wrap items-center gap-2 px-3 py-2">
              <span className="font-mono text-sm text-stone-500">{k + 1}.</span>
              <span className="rounded bg-stone-100 px-1.5 py-0.5 text-xs">{t(`types.${item.question.type}`)}</span>
              <span className="flex-1 font-medium">{item.question.prompt || <em className="text-stone-400">{t("noPrompt")}</em>}</span>
              {item.origin && <span className="text-xs text-teal-700">{t("fromLesson", { lesson: item.origin.lessonSlug })}</span>}
              <Button variant="ghost" onClick={() => move(k, -1)} disabled={k === 0} aria-label={t("moveUp")}>↑</Button>
              <Button variant="ghost" onClick={() => move(k, 1)} disabled={k === items.length - 1} aria-label={t("moveDown")}>↓</Button>
              <Button variant="secondary" onClick={() => setOpen(open === item.key ? null : item.key)} data-testid="set-item-edit">{open === item.key ? t("close") : t("edit")}</Button>
              <Button variant="danger" onClick={() => change(items.filter((i) => i.key !== item.key))} data-testid="set-item-remove">{t("remove")}</Button>
            </div>
            {open === item.key && (
              <div className="border-t border-stone-200 p-3">
                <QuestionForm q={item.question} onChange={(q) => update(item.key, q)} />
              </div>
            )}
          </li>
        ))}
      </ol>
      {items.length === 0 && <p className="text-sm text-stone-500">{t("empty")}</p>}

      <div className="grid gap-4 md:grid-cols-2">
        <Card className="flex flex-col gap-2">
          <h2 className="font-semibold">{t("newQuestion")}</h2>
          <div className="flex flex-wrap gap-2">
            {QUESTION_TYPES.map((type) => (
              <Button
                key={type}
                variant="secondary"
                disabled={items.length >= QUESTION_LIMITS.maxQuestions}
                onClick={() => {
                  const key = keySeq++;
                  change([...items, { key, question: blank(type) }]);
                  setOpen(key);
                }}
                data-testid={`add-${type}`}
              >
                + {t(`types.${type}`)}
              </Button>
            ))}
          </div>
        </Card>
        <LessonPicker locale={set.data.locale} onAdd={(added) => change([...items, ...added])} />
      </div>

      <Card className="flex flex-col gap-3">
        <h2 className="font-semibold">{t("play")}</h2>
        <HostOptionsForm value={hostOptions} onChange={setHostOptions} />
        <div className="flex gap-2">
          <Button disabled={dirty || items.length === 0 || host.isPending} onClick={() => host.mutate(hostInput({ quizSetId: id }, hostOptions))} data-testid="set-host">{t("hostLive")}</Button>
          {dirty && <span className="text-sm text-stone-500">{t("saveFirst")}</span>}
        </div>
        {host.error && <Alert tone="error">{toMessage(host.error)}</Alert>}
        <AssignForm quizSetId={id} disabled={dirty || items.length === 0} />
      </Card>
    </div>
  );
}

function LessonPicker({ locale, onAdd }: { locale: "es" | "en"; onAdd: (items: DraftItem[]) => void }) {
  const t = useTranslations("quiz.editor");
  const trpc = useTRPC();
  const bank = useQuery(trpc.quizzes.lessonBank.queryOptions({ locale }));
  const [pick, setPick] = useState("");
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const quiz = bank.data?.find((q) => `${q.lessonSlug}/${q.quizId}` === pick);
  return (
    <Card className="flex flex-col gap-2">
      <h2 className="font-semibold">{t("fromLessons")}</h2>
      <select className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm" value={pick} onChange={(e) => { setPick(e.target.value); setChosen(new Set()); }} data-testid="lesson-pick">
        <option value="">{t("chooseLesson")}</option>
        {bank.data?.map((q) => (
          <option key={`${q.lessonSlug}/${q.quizId}`} value={`${q.lessonSlug}/${q.quizId}`}>{q.lessonTitle} ({q.questions.length})</option>
        ))}
      </select>
      {quiz && (
        <>
          <ul className="flex flex-col gap-1 text-sm">
            {quiz.questions.map((q, i) => (
              <li key={i}>
                <label className="flex items-start gap-2">
                  <input type="checkbox" checked={chosen.has(i)} onChange={() => setChosen((c) => { const n = new Set(c); if (n.has(i)) n.delete(i); else n.add(i); return n; })} data-testid="lesson-question" />
                  <span>{q.prompt} <span className="text-xs text-stone-500">({t(`types.${q.type}`)})</span></span>
                </label>
              </li>
            ))}
          </ul>
          <div className="flex gap-2">
            <Button variant="secondary" disabled={chosen.size === 0} onClick={() => { onAdd([...chosen].sort((a, b) => a - b).map((i) => ({ key: keySeq++, question: quiz.questions[i] as unknown as Draft, origin: { lessonSlug: quiz.lessonSlug, quizId: quiz.quizId, index: i } }))); setChosen(new Set()); }} data-testid="lesson-add-chosen">
              {t("addChosen", { count: chosen.size })}
            </Button>
            <Button variant="secondary" onClick={() => onAdd(quiz.questions.map((q, i) => ({ key: keySeq++, question: q as unknown as Draft, origin: { lessonSlug: quiz.lessonSlug, quizId: quiz.quizId, index: i } })))} data-testid="lesson-add-all">
              {t("addAll")}
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}

function AssignForm({ quizSetId, disabled }: { quizSetId: string; disabled: boolean }) {
  const t = useTranslations("quiz.editor");
  const trpc = useTRPC();
  const toMessage = useQuizError();
  const classes = useQuery(trpc.classes.mine.queryOptions());
  const [classId, setClassId] = useState("");
  const [deadline, setDeadline] = useState("");
  const assign = useMutation(trpc.quizzes.assign.mutationOptions());
  const mine = (classes.data ?? []).filter((c) => c.role === "instructor");
  return (
    <form
      className="flex flex-wrap items-end gap-2 border-t border-stone-200 pt-3"
      onSubmit={(e) => {
        e.preventDefault();
        const when = new Date(deadline);
        if (!classId || Number.isNaN(when.getTime())) return;
        assign.mutate({ classId, quizSetId, deadline: when });
      }}
    >
      <Field label={t("assignClass")}>
        <select className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm" value={classId} onChange={(e) => setClassId(e.target.value)} data-testid="assign-class">
          <option value="">{t("chooseClass")}</option>
          {mine.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      </Field>
      <Field label={t("deadline")}>
        <Input type="datetime-local" value={deadline} onChange={(e) => setDeadline(e.target.value)} data-testid="assign-deadline" />
      </Field>
      <Button type="submit" variant="secondary" disabled={disabled || !classId || !deadline || assign.isPending} data-testid="assign-submit">{t("assign")}</Button>
      {assign.error && <Alert tone="error">{toMessage(assign.error)}</Alert>}
      {assign.data && (
        <Alert tone="success" testId="assigned">
          {t("assigned")} <Link href={`/classes/${assign.data.classId}/quizzes`} className="underline">{t("seeClass")}</Link>
        </Alert>
      )}
    </form>
  );
}

function ListEditor({ label, values, min, max, onChange, marks }: { label: string; values: string[]; min: number; max: number; onChange: (v: string[], removed?: number) => void; marks?: (i: number) => React.ReactNode }) {
  const t = useTranslations("quiz.editor");
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="text-sm font-medium">{label}</legend>
      {values.map((v, i) => (
        <div key={i} className="flex items-center gap-2">
          {marks?.(i)}
          <OptionShape index={i} colored className="h-5 w-5 shrink-0" />
          <Input value={v} maxLength={QUESTION_LIMITS.option} onChange={(e) => onChange(values.map((x, k) => (k === i ? e.target.value : x)))} className="flex-1" data-testid="q-option" aria-label={`${label} ${i + 1}`} />
          <Button variant="ghost" type="button" disabled={values.length <= min} onClick={() => onChange(values.filter((_, k) => k !== i), i)} aria-label={t("removeOption", { n: i + 1 })}>✕</Button>
        </div>
      ))}
      <Button variant="secondary" type="button" className="self-start" disabled={values.length >= max} onClick={() => onChange([...values, ""])} data-testid="q-add-option">
        + {t("addOption")}
      </Button>
    </fieldset>
  );
}

function QuestionForm({ q, onChange }: { q: Draft; onChange: (q: Draft) => void }) {
  const t = useTranslations("quiz.editor");
  const uid = useId();
  const set = (patch: Record<string, unknown>) => onChange({ ...q, ...patch });
  const afterRemoval = (correct: number, removed: number) => (removed < correct ? correct - 1 : removed === correct ? 0 : correct);
  const image = (q.image as { src: string; alt: string } | undefined) ?? { src: "", alt: "" };
  const code = (q.code as { language: string; source: string } | undefined) ?? { language: "ts", source: "" };
  const num = (s: string) => (s.trim() === "" ? s : Number(s.replace(",", ".")));
  return (
    <div className="flex flex-col gap-3">
      <Field label={t("prompt")}>
        <textarea className="rounded-md border border-stone-300 px-2.5 py-1.5 text-sm" rows={2} maxLength={QUESTION_LIMITS.prompt} value={q.prompt} onChange={(e) => set({ prompt: e.target.value })} data-testid="q-prompt" />
      </Field>
      {(q.type === "single" || q.type === "poll") && (
        <ListEditor
          label={t("options")}
          values={q.options as string[]}
          min={2}
          max={QUESTION_LIMITS.maxOptions}
          onChange={(options, removed) => set({ options, ...(q.type === "single" && removed !== undefined ? { correct: afterRemoval(q.correct as number, removed) } : {}) })}
          marks={q.type === "single" ? (i) => <input type="radio" name={`correct-${uid}`} checked={q.correct === i} onChange={() => set({ correct: i })} aria-label={t("markCorrect", { n: i + 1 })} data-testid="q-correct" /> : undefined}
        />
      )}
      {q.type === "multi" && (
        <ListEditor
          label={t("options")}
          values={q.options as string[]}
          min={2}
          max={QUESTION_LIMITS.maxMultiOptions}
          onChange={(options, removed) => set({ options, ...(removed !== undefined ? { correct: (q.correct as number[]).filter((c) => c !== removed).map((c) => (c > removed ? c - 1 : c)) } : {}) })}
          marks={(i) => <input type="checkbox" checked={(q.correct as number[]).includes(i)} onChange={(e) => set({ correct: e.target.checked ? [...(q.correct as number[]), i].sort((a, b) => a - b) : (q.correct as number[]).filter((c) => c !== i) })} aria-label={t("markCorrect", { n: i + 1 })} data-testid="q-correct" />}
        />
      )}
      {q.type === "truefalse" && (
        <fieldset className="flex gap-4 text-sm">
          <legend className="font-medium">{t("rightAnswer")}</legend>
          <label className="flex items-center gap-1"><input type="radio" checked={q.correct === true} onChange={() => set({ correct: true })} data-testid="q-true" /> {t("true")}</label>
          <label className="flex items-center gap-1"><input type="radio" checked={q.correct === false} onChange={() => set({ correct: false })} data-testid="q-false" /> {t("false")}</label>
        </fieldset>
      )}
      {q.type === "numeric" && (
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label={t("answer")}><Input inputMode="decimal" value={String(q.answer ?? "")} onChange={(e) => set({ answer: num(e.target.value) })} data-testid="q-answer" /></Field>
          <Field label={t("tolerance")} hint={t("toleranceHint")}><Input inputMode="decimal" value={String(q.tolerance ?? "")} onChange={(e) => set({ tolerance: num(e.target.value) })} data-testid="q-tolerance" /></Field>
          <Field label={t("unit")}><Input value={String(q.unit ?? "")} maxLength={QUESTION_LIMITS.unit} onChange={(e) => set({ unit: e.target.value })} /></Field>
        </div>
      )}
      {q.type === "text" && (
        <Field label={t("accepted")} hint={t("acceptedHint")}>
          <textarea className="rounded-md border border-stone-300 px-2.5 py-1.5 text-sm" rows={3} value={(q.accepted as string[]).join("\n")} onChange={(e) => set({ accepted: e.target.value.split("\n").slice(0, QUESTION_LIMITS.acceptedVariants) })} data-testid="q-accepted" />
        </Field>
      )}
      {q.type === "order" && (
        <ListEditor label={t("itemsInOrder")} values={q.items as string[]} min={2} max={QUESTION_LIMITS.maxOrderItems} onChange={(items) => set({ items })} />
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label={t("timeLimit")}>
          <Input type="number" min={QUESTION_LIMITS.minTimeLimitSec} max={QUESTION_LIMITS.maxTimeLimitSec} value={String(q.timeLimitSec)} onChange={(e) => set({ timeLimitSec: Number(e.target.value) })} data-testid="q-time" />
        </Field>
        <Field label={t("points")}>
          <select className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm" value={String(q.points)} disabled={q.type === "poll"} onChange={(e) => set({ points: Number(e.target.value) })} data-testid="q-points">
            <option value="0">{t("points0")}</option>
            <option value="1000">{t("points1000")}</option>
            <option value="2000">{t("points2000")}</option>
          </select>
        </Field>
      </div>
      <Field label={t("explanation")}>
        <textarea className="rounded-md border border-stone-300 px-2.5 py-1.5 text-sm" rows={2} maxLength={QUESTION_LIMITS.explanation} value={String(q.explanation ?? "")} onChange={(e) => set({ explanation: e.target.value })} data-testid="q-explanation" />
      </Field>
      <details className="text-sm">
        <summary className="cursor-pointer font-medium">{t("imageAndCode")}</summary>
        <div className="mt-2 grid gap-3 sm:grid-cols-2">
          <Field label={t("imageSrc")} hint={t("imageSrcHint")}><Input value={image.src} onChange={(e) => set({ image: { ...image, src: e.target.value } })} /></Field>
          <Field label={t("imageAlt")}><Input value={image.alt} onChange={(e) => set({ image: { ...image, alt: e.target.value } })} /></Field>
          <Field label={t("codeLanguage")}><Input value={code.language} onChange={(e) => set({ code: { ...code, language: e.target.value } })} /></Field>
          <Field label={t("code")}>
            <textarea className="rounded-md border border-stone-300 px-2.5 py-1.5 font-mono text-sm" rows={4} maxLength={QUESTION_LIMITS.code} value={code.source} onChange={(e) => set({ code: { ...code, source: e.target.value } })} data-testid="q-code" />
          </Field>
        </div>
      </details>
    </div>
  );
}
