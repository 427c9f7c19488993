"use client";
// The projector screen of a live game (large type, readable from the back of a room): PIN, join
// link and QR code over the lobby filling with nicknames (each with a kick button), Start; per
// question the question alone for a few seconds, the countdown and the number of answers; then the
// distribution, the correct answer, the explanation and the top players; at the end the podium
// and the full ranking. Reloading it just connects again: the game lives on the server.
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useState } from "react";
import type { PublicQuestion, RevealedAnswer } from "@/lib/live/questions";
import type { ErrorCode, GameView, HostPlayer, RankedPlayer, ServerMessage } from "@/lib/live/protocol";
import { Link } from "@/lib/i18n/navigation";
import { OPTION_STYLES, OptionShape, TRUE_FALSE_INDEX } from "./answer-shapes";
import { JoinQr } from "./join-qr";
import { useCountdown, useLiveSocket } from "./live-socket";
import { OptionList, QuestionBody } from "./question-view";
import { RichText } from "./rich-text";

interface HostState {
  pin: string;
  players: HostPlayer[];
  game: GameView;
  questionCount: number;
  podiumPlaces: number;
  answered: number;
  ranking: RankedPlayer[] | null;
}

export function HostScreen({ gameId }: { gameId: string }) {
  const t = useTranslations("quiz.host");
  const te = useTranslations("quiz.liveErrors");
  const locale = useLocale();
  const [s, setS] = useState<HostState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [origin, setOrigin] = useState("");

  const onMessage = useCallback(
    (m: ServerMessage) => {
      switch (m.t) {
        case "welcome":
          if (m.role !== "host") return;
          setError(null);
          setS({ pin: m.pin, players: m.players, game: m.game, questionCount: m.questionCount, podiumPlaces: m.podiumPlaces, answered: m.game.phase === "reveal" ? m.game.answered : 0, ranking: null });
          return;
        case "state":
          // A new question starts its answer count at zero; the reveal says the final count.
          setS((p) => p && { ...p, game: m.game, answered: m.game.phase === "intro" ? 0 : m.game.phase === "reveal" ? m.game.answered : p.answered });
          return;
        case "players":
          setS((p) => p && { ...p, players: m.players });
          return;
        case "answers":
          setS((p) => p && { ...p, answered: m.answered });
          return;
        case "ranking":
          setS((p) => p && { ...p, ranking: m.ranking });
          return;
        case "error":
          setError(te.has(m.code) ? te(m.code as ErrorCode, { seconds: 0 }) : te("server_error"));
          return;
      }
    },
    [te],
  );
  const socket = useLiveSocket(onMessage);
  useEffect(() => {
    setOrigin(window.location.origin);
    socket.connect(() => ({ t: "host", gameId }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [gameId]);

  const until = s && (s.game.phase === "intro" ? s.game.opensAt : s.game.phase === "answering" ? s.game.deadline : null);
  const left = useCountdown(until ?? null, socket.offset);

  if (!s) {
    return (
      <div className="flex flex-col gap-3" data-testid="host-connecting">
        {error ? <p className="rounded-md border border-red-300 bg-red-50 p-3 text-red-800" role="alert" data-testid="host-error">{error}</p> : <p>{t("connecting")}</p>}
      </div>
    );
  }
  const joinUrl = `${origin}/${locale}/play?pin=${s.pin}`;
  const g = s.game;
  const connected = s.players.filter((p) => p.connected).length;

  return (
    <div className="flex flex-col gap-6 text-stone-900" data-testid="host-screen" data-phase={g.phase}>
      {socket.status === "reconnecting" && <p className="rounded-md bg-amber-100 p-2 text-amber-900" role="status">{t("reconnecting")}</p>}
      {error && <p className="rounded-md border border-red-300 bg-red-50 p-3 text-red-800" role="alert" data-testid="host-error">{error}</p>}

      {g.phase === "lobby" && (
        <>
          <div className="grid items-center gap-6 rounded-2xl bg-stone-900 p-6 text-white md:grid-cols-[1fr_auto]">
            <div className="flex flex-col gap-2">
              <p className="text-2xl">{t("joinAt")}</p>
              <p className="break-all text-3xl font-bold" data-testid="host-join-url">{joinUrl}</p>
              <p className="mt-2 text-2xl">{t("gamePin")}</p>
              <p className="font-mono text-7xl font-black tracking-widest md:text-8xl" data-testid="host-pin">{s.pin}</p>
            </div>
            {origin && <JoinQr url={joinUrl} label={t("qrLabel", { url: joinUrl })} className="h-56 w-56 rounded-lg p-2" />}
          </div>
          <div className="flex items-center justify-between gap-4">
            <p className="text-3xl font-bold" data-testid="host-player-count">{t("players", { count: s.players.length })}</p>
            <button type="button" className="rounded-xl bg-green-700 px-8 py-4 text-3xl font-bold text-white disabled:opacity-40" disabled={s.players.length === 0} onClick={() => socket.send({ t: "start" })} data-testid="host-start">
              {t("start")}
            </button>
          </div>
          <ul className="flex flex-wrap gap-3" data-testid="host-lobby">
            {s.players.map((p) => (
              <li key={p.playerId} className={`flex items-center gap-2 rounded-full px-4 py-2 text-2xl font-semibold ${p.connected ? "bg-stone-200" : "bg-stone-100 text-stone-400"}`} data-testid="host-lobby-player">
                <span>{p.nickname}</span>
                <button type="button" className="rounded-full px-2 text-lg text-red-700 hover:bg-red-100" aria-label={t("kick", { nickname: p.nickname })} title={t("kick", { nickname: p.nickname })} onClick={() => socket.send({ t: "kick", playerId: p.playerId })} data-testid="host-kick">
                  ✕
                </button>
              </li>
            ))}
          </ul>
        </>
      )}

      {(g.phase === "intro" || g.phase === "answering") && (
        <div className="flex flex-col gap-6">
          <div className="flex items-center justify-between text-2xl">
            <span data-testid="host-question-number">{t("questionOf", { n: g.q + 1, count: g.count })}</span>
            <span className="flex h-24 w-24 items-center justify-center rounded-full bg-stone-900 font-mono text-5xl font-black text-white" data-testid="host-countdown" aria-live="off">
              {Math.ceil(left / 1000)}
            </span>
          </div>
          <QuestionBody question={g.question} size="xl" />
          {g.phase === "intro" ? (
            <p className="text-center text-3xl text-stone-600">{t("getReady")}</p>
          ) : (
            <>
              <OptionList question={g.question} size="xl" />
              <div className="flex items-center justify-between">
                <p className="text-3xl font-bold" data-testid="host-answer-count">{t("answers", { answered: s.answered, players: g.players })}</p>
                <button type="button" className="rounded-xl bg-stone-700 px-6 py-3 text-2xl text-white" onClick={() => socket.send({ t: "close" })} data-testid="host-close">
                  {t("closeNow")}
                </button>
              </div>
            </>
          )}
        </div>
      )}

      {g.phase === "reveal" && (
        <div className="flex flex-col gap-6" data-testid="host-reveal">
          <div className="flex items-center justify-between text-2xl">
            <span>{t("questionOf", { n: g.q + 1, count: g.count })}</span>
            <span data-testid="host-correct-share">{t("correctShare", { percent: Math.round(g.correctShare * 100) })}</span>
          </div>
          <QuestionBody question={g.question} size="xl" />
          <Distribution question={g.question} answer={g.answer} distribution={g.distribution} />
          <CorrectAnswer question={g.question} answer={g.answer} />
          {g.explanation && <p className="rounded-xl bg-blue-50 p-4 text-2xl" data-testid="host-explanation"><RichText text={g.explanation} /></p>}
          <NextButton onClick={() => socket.send({ t: "next" })} label={t("next")} />
        </div>
      )}

      {g.phase === "leaderboard" && (
        <div className="flex flex-col gap-6" data-testid="host-leaderboard">
          <h2 className="text-4xl font-bold">{t("topPlayers")}</h2>
          <ol className="flex flex-col gap-2">
            {g.top.map((p) => (
              <li key={p.playerId} className="flex justify-between rounded-xl bg-stone-100 px-5 py-3 text-3xl" data-testid="host-top-player">
                <span>
                  {p.rank}. {p.nickname} {p.streak > 1 && <span className="text-xl text-orange-700">🔥 {p.streak}</span>}
                </span>
                <span className="font-mono font-bold">{p.score}</span>
              </li>
            ))}
          </ol>
          <NextButton onClick={() => socket.send({ t: "next" })} label={g.q + 1 < g.count ? t("next") : t("toPodium")} />
        </div>
      )}

      {(g.phase === "podium" || g.phase === "ended") && (
        <div className="flex flex-col gap-6" data-testid="host-podium">
          <h2 className="text-center text-5xl font-black">{t("podium")}</h2>
          {g.phase === "podium" && <Podium places={g.podium} count={s.podiumPlaces} />}
          {s.ranking && (
            <div>
              <h3 className="text-2xl font-bold">{t("fullRanking")}</h3>
              <ol className="mt-2 grid gap-1 md:grid-cols-2" data-testid="host-ranking">
                {s.ranking.map((p) => (
                  <li key={p.playerId} className="flex justify-between rounded bg-stone-100 px-3 py-1 text-xl" data-testid="host-ranking-row">
                    <span>{p.rank}. {p.nickname}</span>
                    <span className="font-mono">{p.score}</span>
                  </li>
                ))}
              </ol>
            </div>
          )}
          <div className="flex gap-3">
            {g.phase === "podium" && <NextButton onClick={() => socket.send({ t: "next" })} label={t("endGame")} />}
            <Link href={`/quizzes/games/${gameId}`} className="rounded-xl border border-stone-300 px-6 py-3 text-2xl" data-testid="host-results-link">
              {t("results")}
            </Link>
          </div>
        </div>
      )}
      {g.phase !== "lobby" && g.phase !== "podium" && g.phase !== "ended" && (
        <div className="flex justify-between text-lg text-stone-500">
          <span>{t("pinSmall", { pin: s.pin })} · {t("connected", { connected, players: s.players.length })}</span>
          <button type="button" className="underline" onClick={() => window.confirm(t("endConfirm")) && socket.send({ t: "end" })} data-testid="host-end">
            {t("endNow")}
          </button>
        </div>
      )}
    </div>
  );
}

function NextButton({ onClick, label }: { onClick: () => void; label: string }) {
  return (
    <button type="button" className="self-end rounded-xl bg-accent px-8 py-4 text-3xl font-bold text-white" onClick={onClick} data-testid="host-next">
      {label}
    </button>
  );
}

function bucketsOf(question: PublicQuestion, t: (k: string) => string): { key: string; label: string; look: number | null }[] {
  switch (question.type) {
    case "single":
    case "multi":
    case "poll":
      return question.options.map((o, i) => ({ key: String(i), label: o, look: i }));
    case "truefalse":
      return [
        { key: "0", label: t("true"), look: TRUE_FALSE_INDEX.true },
        { key: "1", label: t("false"), look: TRUE_FALSE_INDEX.false },
      ];
    default:
      return [
        { key: "correct", label: t("bucketCorrect"), look: null },
        { key: "wrong", label: t("bucketWrong"), look: null },
      ];
  }
}

function isCorrectBucket(answer: RevealedAnswer, key: string): boolean {
  switch (answer.type) {
    case "single":
      return key === String(answer.correct);
    case "multi":
      return answer.correct.map(String).includes(key);
    case "truefalse":
      return key === (answer.correct ? "0" : "1");
    case "poll":
      return false;
    default:
      return key === "correct";
  }
}

/** The answer distribution as a bar chart (bars with their counts as text, for everyone to read). */
function Distribution({ question, answer, distribution }: { question: PublicQuestion; answer: RevealedAnswer; distribution: Record<string, number> }) {
  const t = useTranslations("quiz.host");
  const buckets = bucketsOf(question, t);
  const max = Math.max(1, ...buckets.map((b) => distribution[b.key] ?? 0));
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="sr-only">{t("distribution")}</figcaption>
      <div className="flex h-64 items-end justify-center gap-6" data-testid="host-distribution">
        {buckets.map((b) => {
          const n = distribution[b.key] ?? 0;
          const right = isCorrectBucket(answer, b.key);
          const color = b.look === null ? (b.key === "correct" ? "bg-green-700" : "bg-red-700") : OPTION_STYLES[b.look % 8].bg;
          return (
            <div key={b.key} className="flex w-28 flex-col items-center gap-1" data-testid="host-bar" data-key={b.key} data-count={n} data-correct={String(right)}>
              <span className="text-3xl font-bold">{n}</span>
              <div className={`w-full rounded-t-md ${color}`} style={{ height: `${Math.max(4, (n / max) * 180)}px` }} />
              <span className="flex items-center gap-1 text-lg">
                {b.look !== null && <OptionShape index={b.look} colored className="h-6 w-6" />}
                {right && <span aria-label={t("correct")}>✓</span>}
              </span>
            </div>
          );
        })}
      </div>
    </figure>
  );
}

function CorrectAnswer({ question, answer }: { question: PublicQuestion; answer: RevealedAnswer }) {
  const t = useTranslations("quiz.host");
  if (answer.type === "poll") return null;
  if (answer.type === "numeric") return <p className="text-3xl font-bold text-green-800" data-testid="host-answer">{t("answerNumeric", { answer: answer.answer, tolerance: answer.tolerance })}</p>;
  if (answer.type === "text") return <p className="text-3xl font-bold text-green-800" data-testid="host-answer">{t("answerText", { accepted: answer.accepted.join(" · ") })}</p>;
  if (answer.type === "order") return (
    <ol className="list-decimal pl-10 text-3xl font-bold text-green-800" data-testid="host-answer">
      {answer.items.map((it, i) => <li key={i}>{it}</li>)}
    </ol>
  );
  return (
    <OptionList
      question={question}
      size="xl"
      highlight={(key) => (answer.type === "single" ? key === answer.correct : answer.type === "multi" ? answer.correct.includes(key) : answer.type === "truefalse" ? key === (answer.correct ? 0 : 1) : null)}
    />
  );
}

function Podium({ places, count }: { places: RankedPlayer[]; count: number }) {
  const t = useTranslations("quiz.host");
  const medals = ["🥇", "🥈", "🥉"];
  return (
    <ol className="flex flex-col items-center gap-3" data-testid="host-podium-places" data-places={count}>
      {places.map((p, i) => (
        <li key={p.playerId} className={`flex w-full max-w-3xl items-center justify-between rounded-2xl px-6 py-4 ${i === 0 ? "bg-amber-300 text-5xl" : i < 3 ? "bg-stone-200 text-4xl" : "bg-stone-100 text-3xl"}`} data-testid="host-podium-place" data-rank={p.rank}>
          <span className="font-bold">
            {medals[p.rank - 1] ?? `${p.rank}.`} <span data-testid="host-podium-nickname">{p.nickname}</span>
          </span>
          <span className="font-mono font-black" data-testid="host-podium-score">{p.score}</span>
        </li>
      ))}
      {places.length === 0 && <li className="text-2xl">{t("noPlayers")}</li>}
    </ol>
  );
}
