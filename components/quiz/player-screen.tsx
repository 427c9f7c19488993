"use client";
// The phone's side of a live game: PIN + nickname (no account needed), then the answer buttons,
// "answer taken", right/wrong with points, streak and rank, and the final place. The rejoin token
// stays in localStorage, so a reload, a dropped network or a phone that slept comes back into the
// same game with the same score (lib/live/protocol.ts `rejoin`).
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Answer } from "@/lib/live/questions";
import { PIN_PATTERN, type ClientMessage, type ErrorCode, type GameView, type PlayerStanding, type ServerMessage } from "@/lib/live/protocol";
import { AnswerControls, QuestionBody } from "./question-view";
import { useCountdown, useLiveSocket } from "./live-socket";

const tokenKey = (pin: string) => `cuaderno.live.${pin}`;
const LAST_KEY = "cuaderno.live.last";

function readToken(pin: string): string | null {
  try {
    return window.localStorage.getItem(tokenKey(pin));
  } catch {
    return null;
  }
}
function forget(pin: string) {
  try {
    window.localStorage.removeItem(tokenKey(pin));
    if (window.localStorage.getItem(LAST_KEY) === pin) window.localStorage.removeItem(LAST_KEY);
  } catch {
    /* storage unavailable: nothing kept */
  }
}

type AnswerStatus = { q: number; state: "sending" | "taken" };

export function PlayerScreen({ initialPin = "", defaultNickname = "", compact = false }: { initialPin?: string; defaultNickname?: string; compact?: boolean }) {
  const t = useTranslations("quiz.play");
  const te = useTranslations("quiz.liveErrors");
  const [pin, setPin] = useState(initialPin);
  const [nickname, setNickname] = useState(defaultNickname);
  const [formError, setFormError] = useState<string | null>(null);
  const [joined, setJoined] = useState<{ pin: string; gameId: string } | null>(null);
  const [game, setGame] = useState<GameView | null>(null);
  const [you, setYou] = useState<PlayerStanding | null>(null);
  const [answer, setAnswer] = useState<AnswerStatus | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const current = useRef<{ pin: string; nickname: string | null }>({ pin: "", nickname: null });
  const refSeq = useRef(1);

  const errorText = useCallback((code: ErrorCode, retryMs?: number) => (te.has(code) ? te(code, { seconds: Math.ceil((retryMs ?? 0) / 1000) }) : te("server_error")), [te]);

  const onMessage = useCallback(
    (m: ServerMessage) => {
      switch (m.t) {
        case "welcome":
          if (m.role !== "player") return;
          if (m.token) {
            try {
              window.localStorage.setItem(tokenKey(m.pin), m.token);
              window.localStorage.setItem(LAST_KEY, m.pin);
            } catch {
              /* private mode: this tab can still play, without rejoin after a reload */
            }
          }
          current.current.nickname = null; // from now on connect with rejoin
          setJoined({ pin: m.pin, gameId: m.gameId });
          setGame(m.game);
          setYou(m.you);
          setFormError(null);
          setEnded(null);
          setPending(false);
          if (m.you.answeredQ !== undefined) setAnswer({ q: m.you.answeredQ, state: "taken" });
          return;
        case "state":
          setGame(m.game);
          setNotice(null);
          return;
        case "you":
          setYou(m.you);
          return;
        case "ack":
          setAnswer({ q: m.q, state: "taken" });
          return;
        case "error": {
          const text = errorText(m.code, m.retryMs);
          setPending(false);
          if (m.code === "already_answered" && m.q !== undefined) setAnswer({ q: m.q, state: "taken" });
          else if (["late", "not_open", "not_asked", "invalid_answer"].includes(m.code)) {
            setAnswer((a) => (a && a.state === "sending" ? null : a));
            setNotice(text);
          } else if (["bad_token", "kicked", "game_over"].includes(m.code)) {
            forget(current.current.pin);
            setJoined(null);
            setGame(null);
            setEnded(text);
          } else if (!joinedRef.current) setFormError(text);
          else setNotice(text);
          return;
        }
      }
    },
    [errorText],
  );
  const joinedRef = useRef(joined);
  useEffect(() => {
    joinedRef.current = joined;
  }, [joined]);

  const socket = useLiveSocket(onMessage);
  // A connection that closed before any welcome (network, server gone): the form is usable again.
  useEffect(() => {
    if (socket.status === "closed") setPending(false);
  }, [socket.status]);

  const hello = useCallback((): ClientMessage | null => {
    const { pin: p, nickname: n } = current.current;
    if (n !== null) return { t: "join", pin: p, nickname: n };
    const token = readToken(p);
    return token ? { t: "rejoin", pin: p, token } : null;
  }, []);

  // Coming back: a token kept for this PIN (or the last game) rejoins at once.
  useEffect(() => {
    let p = initialPin;
    try {
      if (!p) p = window.localStorage.getItem(LAST_KEY) ?? "";
    } catch {
      p = initialPin;
    }
    if (PIN_PATTERN.test(p) && readToken(p)) {
      current.current = { pin: p, nickname: null };
      setPin(p);
      socket.connect(hello);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submitJoin = (e: React.FormEvent) => {
    e.preventDefault();
    const p = pin.replace(/\s/g, "");
    if (!PIN_PATTERN.test(p)) return setFormError(te("pin_format"));
    if (nickname.trim() === "") return setFormError(te("nickname_empty"));
    setFormError(null);
    setEnded(null);
    setPending(true);
    current.current = { pin: p, nickname };
    socket.connect(hello);
  };

  const send = useCallback(
    (a: Answer) => {
      if (!game || game.phase !== "answering") return;
      const q = game.q;
      setNotice(null);
      if (socket.send({ t: "answer", q, answer: a, ref: refSeq.current++ })) setAnswer({ q, state: "sending" });
      else setNotice(t("offline"));
    },
    [game, socket, t],
  );

  const until = game && (game.phase === "intro" ? game.opensAt : game.phase === "answering" ? game.deadline : null);
  const left = useCountdown(until ?? null, socket.offset);

  const shell = compact ? "flex flex-col gap-3" : "mx-auto flex max-w-xl flex-col gap-4";

  if (!joined || !game || !you) {
    return (
      <div className={shell} data-testid="play-join">
        {!compact && <h1 className="text-3xl font-bold">{t("title")}</h1>}
        {ended && <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900" role="status" data-testid="play-ended">{ended}</p>}
        <form onSubmit={submitJoin} className="flex flex-col gap-3">
          <label className="flex flex-col gap-1 font-medium">
            {t("pin")}
            <input
              className="rounded-md border border-stone-300 px-3 py-3 text-center text-3xl font-bold tracking-[0.3em]"
              inputMode="numeric"
              autoComplete="off"
              maxLength={7}
              value={pin}
              onChange={(e) => setPin(e.target.value.replace(/[^\d ]/g, ""))}
              data-testid="play-pin"
            />
          </label>
          <label className="flex flex-col gap-1 font-medium">
            {t("nickname")}
            <input className="rounded-md border border-stone-300 px-3 py-3 text-xl" maxLength={200} autoComplete="nickname" value={nickname} onChange={(e) => setNickname(e.target.value)} data-testid="play-nickname" />
            <span className="text-xs font-normal text-stone-500">{t("nicknameHint", { max: 24 })}</span>
          </label>
          {formError && <p className="rounded-md border border-red-300 bg-red-50 p-3 text-red-800" role="alert" data-testid="play-error">{formError}</p>}
          <button type="submit" className="rounded-xl bg-accent px-4 py-3 text-xl font-bold text-white disabled:opacity-50" disabled={pending} data-testid="play-join-button">
            {pending ? t("joining") : t("join")}
          </button>
        </form>
      </div>
    );
  }

  const takenNow = answer && "q" in game && answer.q === game.q ? answer.state : null;
  return (
    <div className={shell} data-testid="play-screen" data-phase={game.phase}>
      <div className="flex items-center justify-between gap-2 rounded-lg bg-stone-900 px-3 py-2 text-white">
        <span className="font-semibold" data-testid="play-me">{you.nickname}</span>
        <span data-testid="play-score">{t("score", { score: you.score })}</span>
      </div>
      {socket.status === "reconnecting" && <p className="rounded-md bg-amber-100 p-2 text-sm text-amber-900" role="status" data-testid="play-reconnecting">{t("reconnecting")}</p>}
      {notice && <p className="rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-900" role="alert" data-testid="play-notice">{notice}</p>}

      {game.phase === "lobby" && (
        <div className="rounded-lg bg-green-50 p-6 text-center" data-testid="play-lobby">
          <p className="text-2xl font-bold">{t("youreIn")}</p>
          <p className="text-stone-600">{t("waitForHost")}</p>
        </div>
      )}

      {(game.phase === "intro" || game.phase === "answering") && (
        <div className="flex flex-col gap-3">
          <div className="flex justify-between text-sm text-stone-600">
            <span>{t("questionOf", { n: game.q + 1, count: game.count })}</span>
            <span className="font-mono text-lg font-bold text-stone-900" data-testid="play-countdown">{Math.ceil(left / 1000)}</span>
          </div>
          <QuestionBody question={game.question} />
          {game.phase === "intro" ? (
            <p className="text-center text-lg text-stone-600" data-testid="play-get-ready">{t("getReady")}</p>
          ) : takenNow ? (
            <p className="rounded-lg bg-blue-50 p-6 text-center text-xl font-semibold" role="status" data-testid="play-taken" data-state={takenNow}>
              {takenNow === "taken" ? t("taken") : t("sending")}
            </p>
          ) : (
            <AnswerControls key={game.q} question={game.question} disabled={false} onAnswer={send} />
          )}
        </div>
      )}

      {game.phase === "reveal" && <LastResult you={you} q={game.q} />}

      {game.phase === "leaderboard" && (
        <div className="rounded-lg bg-stone-100 p-6 text-center" data-testid="play-standing">
          <LastResult you={you} q={game.q} />
        </div>
      )}

      {(game.phase === "podium" || game.phase === "ended") && (
        <div className="rounded-lg bg-amber-50 p-6 text-center" data-testid="play-final">
          <p className="text-2xl font-bold">{you.rank !== null ? t("finalRank", { rank: you.rank, players: game.players }) : t("gameOver")}</p>
          <p className="text-xl">{t("finalScore", { score: you.score })}</p>
        </div>
      )}
    </div>
  );
}

function LastResult({ you, q }: { you: PlayerStanding; q: number }) {
  const t = useTranslations("quiz.play");
  const last = you.last && you.last.q === q ? you.last : null;
  return (
    <div className="flex flex-col items-center gap-1 text-center" data-testid="play-result" data-correct={last ? String(last.correct) : undefined}>
      {last ? (
        <p className={`text-3xl font-bold ${last.correct ? "text-green-700" : "text-red-700"}`}>
          {last.correct ? `✓ ${t("right")}` : !last.answered ? `⏱ ${t("noAnswer")}` : `✗ ${t("wrong")}`}
        </p>
      ) : (
        <p className="text-xl text-stone-600">{t("waiting")}</p>
      )}
      {last && <p className="text-xl" data-testid="play-points">{t("points", { points: last.points })}{last.bonus > 0 ? ` · ${t("bonus", { bonus: last.bonus })}` : ""}</p>}
      <p data-testid="play-streak">{t("streak", { streak: you.streak })}</p>
      {you.rank !== null && <p className="font-semibold" data-testid="play-rank">{t("rank", { rank: you.rank })}</p>}
    </div>
  );
}
