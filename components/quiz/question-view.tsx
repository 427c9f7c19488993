"use client";
// A live question's body (prompt, image, code) and its answer controls for the seven types.
// Shared by the phone (answering), the host screen (showing) and self-paced play.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import type { Answer, PublicQuestion } from "@/lib/live/questions";
import { OPTION_STYLES, OptionShape, TRUE_FALSE_INDEX, optionLetter } from "./answer-shapes";
import { RichText } from "./rich-text";

export function QuestionBody({ question, size = "md" }: { question: PublicQuestion; size?: "md" | "xl" }) {
  return (
    <div className="flex flex-col gap-3">
      <h2 className={size === "xl" ? "text-4xl font-bold leading-tight md:text-5xl" : "text-xl font-bold"} data-testid="live-prompt">
        <RichText text={question.prompt} />
      </h2>
      {question.image && (
        // eslint-disable-next-line @next/next/no-img-element
        <img src={question.image.src} alt={question.image.alt} className="max-h-72 self-center rounded-md object-contain" />
      )}
      {question.code && (
        <pre className={`overflow-x-auto rounded-md bg-stone-900 p-3 text-stone-50 ${size === "xl" ? "text-2xl" : "text-sm"}`} data-testid="live-code">
          <code>{question.code.source}</code>
        </pre>
      )}
    </div>
  );
}

/** The options as the host shows them (no controls): shape, letter, text. */
export function OptionList({ question, size = "md", highlight }: { question: PublicQuestion; size?: "md" | "xl"; highlight?: (i: number) => boolean | null }) {
  const t = useTranslations("quiz.play");
  const labels =
    question.type === "single" || question.type === "multi" || question.type === "poll"
      ? question.options.map((text, i) => ({ text, look: i, key: i }))
      : question.type === "truefalse"
        ? [
            { text: t("true"), look: TRUE_FALSE_INDEX.true, key: 0 },
            { text: t("false"), look: TRUE_FALSE_INDEX.false, key: 1 },
          ]
        : question.type === "order"
          ? question.items.map((it, i) => ({ text: it.text, look: i, key: it.index }))
          : [];
  if (labels.length === 0) return null;
  return (
    <ul className={`grid gap-3 ${labels.length > 2 ? "md:grid-cols-2" : "grid-cols-2"}`}>
      {labels.map((l, i) => {
        const h = highlight?.(l.key) ?? null;
        return (
          <li
            key={i}
            className={`flex items-center gap-3 rounded-lg px-4 py-3 text-white ${OPTION_STYLES[l.look % 8].bg} ${h === false ? "opacity-40" : ""} ${h === true ? "ring-4 ring-offset-2 ring-green-500" : ""} ${size === "xl" ? "text-3xl" : "text-base"}`}
            data-testid="live-option"
            data-correct={h === null ? undefined : String(h)}
          >
            <OptionShape index={l.look} className={size === "xl" ? "h-10 w-10 shrink-0" : "h-6 w-6 shrink-0"} />
            <span className="font-semibold">{question.type === "order" ? "" : `${optionLetter(i)}. `}<RichText text={l.text} /></span>
            {h === true && <span className="ml-auto" aria-label="✓">✓</span>}
          </li>
        );
      })}
    </ul>
  );
}

function ChoiceButton({ look, label, onClick, pressed, disabled, testId }: { look: number; label: string; onClick: () => void; pressed?: boolean; disabled?: boolean; testId: string }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-pressed={pressed}
      data-testid={testId}
      data-shape={OPTION_STYLES[look % 8].name}
      className={`flex min-h-20 items-center gap-3 rounded-xl px-4 py-4 text-left text-lg font-semibold text-white shadow-md transition ${OPTION_STYLES[look % 8].bg} ${pressed ? "ring-4 ring-offset-2 ring-stone-900" : ""} disabled:opacity-60`}
    >
      <OptionShape index={look} className="h-8 w-8 shrink-0" />
      <RichText text={label} />
      {pressed && <span className="ml-auto text-2xl" aria-hidden="true">✓</span>}
    </button>
  );
}

/**
 * The answer controls. Single choice, true/false and poll answer on the first press (keys 1-8
 * too); multiple select, numeric, typed and order answers are sent with a Send button.
 */
export function AnswerControls({ question, disabled, onAnswer }: { question: PublicQuestion; disabled: boolean; onAnswer: (a: Answer) => void }) {
  const t = useTranslations("quiz.play");
  const [chosen, setChosen] = useState<number[]>([]);
  const [value, setValue] = useState("");
  const [order, setOrder] = useState<{ index: number; text: string }[]>(question.type === "order" ? question.items : []);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (disabled) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) return;
      const n = Number(e.key);
      if (!Number.isInteger(n) || n < 1) return;
      const i = n - 1;
      if ((question.type === "single" || question.type === "poll") && i < question.options.length) onAnswer({ type: question.type, choice: i });
      else if (question.type === "truefalse" && i < 2) onAnswer({ type: "truefalse", value: i === 0 });
      else if (question.type === "multi" && i < question.options.length) setChosen((c) => (c.includes(i) ? c.filter((x) => x !== i) : [...c, i]));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [question, disabled, onAnswer]);

  switch (question.type) {
    case "single":
    case "poll":
      return (
        <div className="grid gap-3 sm:grid-cols-2" role="group" aria-label={t("answers")}>
          {question.options.map((o, i) => (
            <ChoiceButton key={i} look={i} label={o} disabled={disabled} onClick={() => onAnswer({ type: question.type, choice: i } as Answer)} testId={`answer-${i}`} />
          ))}
        </div>
      );
    case "truefalse":
      return (
        <div className="grid grid-cols-2 gap-3" role="group" aria-label={t("answers")}>
          <ChoiceButton look={TRUE_FALSE_INDEX.true} label={t("true")} disabled={disabled} onClick={() => onAnswer({ type: "truefalse", value: true })} testId="answer-0" />
          <ChoiceButton look={TRUE_FALSE_INDEX.false} label={t("false")} disabled={disabled} onClick={() => onAnswer({ type: "truefalse", value: false })} testId="answer-1" />
        </div>
      );
    case "multi":
      return (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-stone-600">{t("chooseN", { n: question.correctCount ?? 1 })}</p>
          <div className="grid gap-3 sm:grid-cols-2" role="group" aria-label={t("answers")}>
            {question.options.map((o, i) => (
              <ChoiceButton key={i} look={i} label={o} disabled={disabled} pressed={chosen.includes(i)} onClick={() => setChosen((c) => (c.includes(i) ? c.filter((x) => x !== i) : [...c, i]))} testId={`answer-${i}`} />
            ))}
          </div>
          <SendButton disabled={disabled || chosen.length === 0} onClick={() => onAnswer({ type: "multi", choices: [...chosen].sort((a, b) => a - b) })} />
        </div>
      );
    case "numeric":
    case "text":
      return (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (question.type === "text") {
              if (value.trim() === "") return setProblem(t("emptyAnswer"));
              return onAnswer({ type: "text", text: value.slice(0, 100) });
            }
            // Both decimal separators: "0,8" and "0.8".
            const n = Number(value.trim().replace(/\s/g, "").replace(",", "."));
            if (value.trim() === "" || !Number.isFinite(n)) return setProblem(t("notANumber"));
            onAnswer({ type: "numeric", value: n });
          }}
        >
          <label className="flex flex-col gap-1 text-sm font-medium">
            {question.type === "numeric" ? t("yourNumber") : t("yourAnswer")}
            <span className="flex items-center gap-2">
              <input
                className="w-full rounded-md border border-stone-300 px-3 py-3 text-2xl"
                inputMode={question.type === "numeric" ? "decimal" : "text"}
                maxLength={100}
                autoComplete="off"
                value={value}
                disabled={disabled}
                onChange={(e) => {
                  setValue(e.target.value);
                  setProblem(null);
                }}
                data-testid="answer-input"
              />
              {question.type === "numeric" && question.unit && <span className="text-xl">{question.unit}</span>}
            </span>
          </label>
          {problem && <p className="text-sm text-red-700" role="alert">{problem}</p>}
          <SendButton disabled={disabled} submit />
        </form>
      );
    case "order":
      return (
        <div className="flex flex-col gap-2">
          <p className="text-sm text-stone-600">{t("orderHint")}</p>
          <ol className="flex flex-col gap-2" data-testid="order-list">
            {order.map((it, i) => (
              <li key={it.index} className={`flex items-center gap-2 rounded-lg px-3 py-2 text-white ${OPTION_STYLES[i % 8].bg}`}>
                <span className="w-6 font-bold">{i + 1}.</span>
                <RichText className="flex-1 font-semibold" text={it.text} />
                <button type="button" className="rounded bg-white/20 px-2 py-1" disabled={disabled || i === 0} aria-label={t("moveUp", { item: it.text })} onClick={() => setOrder((o) => swap(o, i, i - 1))}>
                  ↑
                </button>
                <button type="button" className="rounded bg-white/20 px-2 py-1" disabled={disabled || i === order.length - 1} aria-label={t("moveDown", { item: it.text })} onClick={() => setOrder((o) => swap(o, i, i + 1))}>
                  ↓
                </button>
              </li>
            ))}
          </ol>
          <SendButton disabled={disabled} onClick={() => onAnswer({ type: "order", order: order.map((o) => o.index) })} />
        </div>
      );
  }
}

function swap<T>(list: T[], i: number, j: number): T[] {
  const out = [...list];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

function SendButton({ disabled, onClick, submit }: { disabled: boolean; onClick?: () => void; submit?: boolean }) {
  const t = useTranslations("quiz.play");
  return (
    <button type={submit ? "submit" : "button"} onClick={onClick} disabled={disabled} className="rounded-xl bg-stone-900 px-4 py-3 text-lg font-semibold text-white disabled:opacity-50" data-testid="answer-send">
      {t("send")}
    </button>
  );
}
