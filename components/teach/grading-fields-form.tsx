"use client";
// An exercise's grading fields (lib/teach/grading-fields.ts): kind, function name or value names,
// tolerance — the same in both languages, so a change goes to both (`onGrading`) — and the
// language's own cases and setup. A value the grading would not read is not stored: the field
// keeps what was typed and says why, in the instructor's language, until it is fixed.
import { useTranslations } from "next-intl";
import { memo, useEffect, useState } from "react";
import type { ExerciseCell } from "@/lib/notebook/types";
import { useFieldForm } from "./field-form";
import type { LessonLocale } from "@/lib/teach/bundle";
import { readGradingFields, targetProblem, toleranceProblem, writeGradingFields, type GradingChange, type GradingKind, type GradingProblem } from "@/lib/teach/grading-fields";

interface Props {
  cell: ExerciseCell;
  locale: LessonLocale;
  onGrading: (cellId: string, change: GradingChange) => void;
  onTests: (tests: string | undefined) => void;
  onFocus: () => void;
  onBlur: () => void;
}

const input = "rounded border border-stone-300 px-1.5 py-0.5 font-mono text-sm";

/** A text field whose value is stored only when `problem` finds nothing wrong with it. */
function CheckedField({ label, value, problem, onValid, testId, className = "" }: { label: string; value: string; problem: (v: string) => GradingProblem | null; onValid: (v: string) => void; testId: string; className?: string }) {
  const t = useTranslations("teach.editor.grading.problems");
  const form = useFieldForm();
  const [text, setText] = useState(value);
  // The stored value changed elsewhere (the other language, undo): show it.
  useEffect(() => setText(value), [value]);
  const refused = problem(text);
  return (
    <label className={`flex flex-col gap-0.5 text-xs text-stone-600 ${className}`}>
      {label}
      <input
        form={form}
        className={`${input} ${refused ? "border-red-500" : ""}`}
        value={text}
        aria-invalid={refused ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (!problem(e.target.value)) onValid(e.target.value);
        }}
        data-testid={testId}
      />
      {refused && (
        <span role="alert" className="text-red-700" data-testid={`${testId}-problem`}>
          {t(refused, { value: text.trim().slice(0, 60) })}
        </span>
      )}
    </label>
  );
}

export const GradingFieldsForm = memo(function GradingFieldsForm({ cell, locale, onGrading, onTests, onFocus, onBlur }: Props) {
  const t = useTranslations("teach.editor.grading");
  const f = readGradingFields(cell.tests);
  const kind: GradingKind | "" = cell.tests === undefined ? "browser" : f.kindMissing ? "" : f.kind;
  const form = useFieldForm();
  return (
    <fieldset className="flex flex-col gap-1.5 rounded border border-stone-200 p-2" data-testid={`grading-${locale}`} data-kind={kind || "unset"}>
      <legend className="px-1 text-xs text-stone-500">{t("kind")}</legend>
      <select form={form} className="rounded border border-stone-300 text-sm" value={kind} onChange={(e) => onGrading(cell.id, { kind: e.target.value as GradingKind })} data-testid={`grading-kind-${locale}`}>
        {kind === "" && (
          <option value="" disabled>
            {t("chooseKind")}
          </option>
        )}
        {(["browser", "function", "value"] as const).map((k) => (
          <option key={k} value={k}>
            {t(`kinds.${k}`)}
          </option>
        ))}
      </select>
      {kind !== "browser" && (
        <>
          {kind !== "" && (
            <CheckedField
              label={kind === "function" ? t("functionName") : t("valueNames")}
              value={f.target}
              problem={(v) => targetProblem(kind, v)}
              onValid={(target) => onGrading(cell.id, { target })}
              testId={`grading-target-${locale}`}
            />
          )}
          <div className="flex flex-wrap gap-2">
            <CheckedField label={t("toleranceAbs")} value={f.tolerance.abs} problem={toleranceProblem} onValid={(abs) => onGrading(cell.id, { tolerance: { ...readGradingFields(cell.tests).tolerance, abs } })} testId={`tolerance-abs-${locale}`} className="w-40" />
            <CheckedField label={t("toleranceRel")} value={f.tolerance.rel} problem={toleranceProblem} onValid={(rel) => onGrading(cell.id, { tolerance: { ...readGradingFields(cell.tests).tolerance, rel } })} testId={`tolerance-rel-${locale}`} className="w-40" />
          </div>
          <p className="text-[11px] text-stone-400">{t("toleranceHint")}</p>
          <label className="flex flex-col gap-0.5 text-xs text-stone-600">
            {t("body")}
            <textarea
              form={form}
              className="w-full rounded-md border border-stone-300 bg-white px-2 py-1 font-mono text-sm"
              value={f.body}
              rows={Math.min(20, Math.max(2, f.body.split("\n").length + 1))}
              spellCheck={false}
              onFocus={onFocus}
              onBlur={onBlur}
              onChange={(e) => onTests(writeGradingFields({ ...f, body: e.target.value }))}
              data-testid={`tests-${locale}`}
            />
          </label>
        </>
      )}
    </fieldset>
  );
});
