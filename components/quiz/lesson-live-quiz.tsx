"use client";
// A lesson page's way into a live game: the phone view of /play, embedded right in the lesson's
// quiz block (placed into that cell once the notebook has rendered it), so a student reading the
// lesson joins the instructor's game without leaving it. It opens by itself when this browser
// holds a rejoin token (a reload in the middle of a game comes back into it).
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { PlayerScreen } from "./player-screen";
import { useHostGame } from "./quiz-sets-page";
import { useQuizError } from "./use-quiz-error";

function hasToken(): boolean {
  try {
    const pin = window.localStorage.getItem("cuaderno.live.last");
    return Boolean(pin && window.localStorage.getItem(`cuaderno.live.${pin}`));
  } catch {
    return false;
  }
}

export function LessonLiveQuiz({ defaultNickname, lessonSlug, instructor }: { defaultNickname: string; lessonSlug: string; instructor: boolean }) {
  const t = useTranslations("quiz.lesson");
  const locale = useLocale() as "es" | "en";
  const hostGame = useHostGame();
  const toMessage = useQuizError();
  const [host, setHost] = useState<HTMLElement | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    setOpen(hasToken());
    // The notebook renders on the client: find the (first) quiz cell and keep a slot at its end.
    const slot = document.createElement("div");
    slot.dataset.testid = "lesson-live-slot";
    const place = () => {
      if (slot.isConnected) return;
      const cell = document.querySelector<HTMLElement>('[data-testid="cell"][data-kind="quiz"]');
      if (cell) {
        cell.appendChild(slot);
        setHost(slot);
      }
    };
    place();
    const id = setInterval(place, 1000);
    return () => {
      clearInterval(id);
      slot.remove();
    };
  }, []);

  if (!host) return null;
  return createPortal(
    <div className="border-t border-stone-200 bg-stone-50 px-4 py-3" data-testid="lesson-live-quiz">
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs font-semibold uppercase tracking-wide text-accent">{t("title")}</span>
        {!open && <span className="text-sm text-stone-600">{t("hint")}</span>}
        {instructor && (
          <button type="button" className="ml-auto rounded-md bg-accent px-3 py-1 text-sm text-white disabled:opacity-50" disabled={hostGame.isPending} onClick={() => hostGame.mutate({ source: { lessonSlug, locale } })} data-testid="lesson-live-host">
            {t("host")}
          </button>
        )}
        <button type="button" className="ml-auto rounded-md border border-stone-300 bg-white px-3 py-1 text-sm" onClick={() => setOpen((o) => !o)} data-testid="lesson-live-toggle">
          {open ? t("hide") : t("open")}
        </button>
      </div>
      {hostGame.error && <p className="mt-2 text-sm text-red-700" role="alert">{toMessage(hostGame.error)}</p>}
      {open && (
        <div className="mt-3">
          <PlayerScreen compact defaultNickname={defaultNickname} />
        </div>
      )}
    </div>,
    host,
  );
}
