// The live game state machine (issue 14 points 2, 4, 5): lobby → intro → answering → reveal →
// leaderboard → … → podium → ended. Pure: every method takes the server's time `now` (ms since
// the epoch) — the only clock — and the caller (lib/server/live) persists, broadcasts and sets
// timers from what it returns. Answers are scored when taken (the streak before a question is
// known once the previous one is revealed) and added to the scores at the reveal.
import { checkAnswer, publicQuestion, revealedAnswer, answerBuckets, type Answer, type PublicQuestion, type Question } from "./questions";
import { scoreAnswer } from "./scoring";
import type { GameSettings } from "./settings";
import type { ErrorCode, GamePhase, GameView, PlayerStanding, RankedPlayer } from "./protocol";
import { nicknameKey } from "./nickname";

export interface LivePlayerState {
  id: string;
  nickname: string;
  userId: string | null;
  score: number;
  streak: number;
  kicked: boolean;
  /** The player's result on the last revealed question. */
  last?: PlayerStanding["last"];
}

export interface AnswerRecord {
  playerId: string;
  q: number;
  answer: Answer;
  /** From when answers opened to when the answer arrived, on the server's clock. */
  timeMs: number;
  correct: boolean;
  points: number;
  bonus: number;
  /** The player's streak after this answer. */
  streak: number;
  /** Distribution buckets (lib/live/questions.ts answerBuckets). */
  buckets: (number | "correct" | "wrong")[];
}

/** What is stored of the game itself (players and answers are stored apart). */
export interface GameSnapshot {
  phase: GamePhase;
  /** Current question index (-1 in the lobby). */
  q: number;
  opensAt: number;
  deadline: number;
  /** How many questions have been revealed (their points are in the scores). */
  revealed: number;
}

export type Refusal = { ok: false; code: ErrorCode; message: string };
const refuse = (code: ErrorCode, message: string): Refusal => ({ ok: false, code, message });

export class LiveGame {
  readonly players = new Map<string, LivePlayerState>();
  private readonly byNickname = new Map<string, string>();
  private active = 0;
  /** Answers to the current question, by player. */
  private current = new Map<string, AnswerRecord>();
  private snap: GameSnapshot = { phase: "lobby", q: -1, opensAt: 0, deadline: 0, revealed: 0 };
  private publicCache: { q: number; view: PublicQuestion } | null = null;
  private rankingCache: RankedPlayer[] | null = null;

  constructor(
    readonly id: string,
    readonly pin: string,
    readonly questions: readonly Question[],
    readonly settings: GameSettings,
  ) {
    if (questions.length === 0) throw new TypeError("a game needs at least one question");
  }

  /**
   * A game rebuilt from storage: its snapshot, its players (nickname, user, kicked) and every
   * answer stored. Scores and streaks are replayed from the answers of the revealed questions,
   * so only answers (written before their ack) and phase changes need storing.
   */
  static restore(init: {
    id: string;
    pin: string;
    questions: readonly Question[];
    settings: GameSettings;
    snapshot: GameSnapshot;
    players: { id: string; nickname: string; userId: string | null; kicked: boolean }[];
    answers: { playerId: string; q: number; answer: Answer; timeMs: number; correct: boolean; points: number; bonus: number; streak: number }[];
  }): LiveGame {
    const g = new LiveGame(init.id, init.pin, init.questions, init.settings);
    for (const p of init.players) g.addPlayer({ id: p.id, nickname: p.nickname, userId: p.userId, kicked: p.kicked, score: 0, streak: 0 });
    const byQ = new Map<number, Map<string, AnswerRecord>>();
    for (const a of init.answers) {
      const question = init.questions[a.q];
      if (!question || !g.players.has(a.playerId)) continue;
      const record: AnswerRecord = { ...a, buckets: answerBuckets(question, a.answer, checkAnswer(question, a.answer)) };
      let m = byQ.get(a.q);
      if (!m) byQ.set(a.q, (m = new Map()));
      m.set(a.playerId, record);
    }
    const revealed = Math.min(init.snapshot.revealed, init.questions.length);
    for (let q = 0; q < revealed; q++) g.applyReveal(q, byQ.get(q) ?? new Map());
    g.snap = { ...init.snapshot, revealed };
    if (g.snap.q >= 0) g.current = byQ.get(g.snap.q) ?? new Map();
    return g;
  }

  get phase(): GamePhase {
    return this.snap.phase;
  }
  get q(): number {
    return this.snap.q;
  }
  get opensAt(): number {
    return this.snap.opensAt;
  }
  get deadline(): number {
    return this.snap.deadline;
  }
  snapshot(): GameSnapshot {
    return { ...this.snap };
  }
  /** Players not kicked (kept as a count: read at every join and broadcast). */
  get activePlayers(): number {
    return this.active;
  }
  get answeredCount(): number {
    return this.current.size;
  }
  hasAnswered(playerId: string): boolean {
    return this.current.has(playerId);
  }
  currentAnswers(): IterableIterator<AnswerRecord> {
    return this.current.values();
  }

  private addPlayer(p: LivePlayerState): void {
    this.players.set(p.id, p);
    if (!p.kicked) {
      this.byNickname.set(nicknameKey(p.nickname), p.id);
      this.active++;
    }
    this.rankingCache = null;
  }

  /**
   * Whether a new player may join with this (already checked) nickname; the caller then stores
   * the player and calls addJoined. Nicknames are unique ignoring case and accents.
   */
  canJoin(nickname: string): { ok: true } | Refusal {
    if (this.snap.phase === "ended" || this.snap.phase === "podium") return refuse("game_over", "the game is over");
    if (this.snap.phase !== "lobby" && !this.settings.lateJoin) return refuse("game_started", "the game has started");
    if (this.activePlayers >= this.settings.maxPlayers) return refuse("game_full", "the game is full");
    if (this.byNickname.has(nicknameKey(nickname))) return refuse("nickname_taken", "that nickname is taken in this game");
    return { ok: true };
  }

  addJoined(p: { id: string; nickname: string; userId: string | null }): LivePlayerState | Refusal {
    const can = this.canJoin(p.nickname);
    if (!can.ok) return can;
    const player: LivePlayerState = { id: p.id, nickname: p.nickname, userId: p.userId, score: 0, streak: 0, kicked: false };
    this.addPlayer(player);
    return player;
  }

  /** A player coming back: same record, as long as not kicked and the game not ended. */
  rejoin(playerId: string): LivePlayerState | Refusal {
    const p = this.players.get(playerId);
    if (!p) return refuse("bad_token", "unknown rejoin token");
    if (p.kicked) return refuse("kicked", "you were removed from this game");
    if (this.snap.phase === "ended") return refuse("game_over", "the game is over");
    return p;
  }

  kick(playerId: string): boolean {
    const p = this.players.get(playerId);
    if (!p || p.kicked) return false;
    p.kicked = true;
    this.active--;
    this.byNickname.delete(nicknameKey(p.nickname));
    this.current.delete(playerId);
    this.rankingCache = null;
    return true;
  }

  private openQuestion(q: number, now: number): void {
    const question = this.questions[q];
    const opensAt = now + this.settings.introMs;
    this.snap = { phase: this.settings.introMs > 0 ? "intro" : "answering", q, opensAt, deadline: opensAt + question.timeLimitSec * 1000, revealed: this.snap.revealed };
    this.current = new Map();
  }

  start(now: number): { ok: true } | Refusal {
    if (this.snap.phase !== "lobby") return refuse("wrong_phase", "the game has already started");
    this.openQuestion(0, now);
    return { ok: true };
  }

  /**
   * Moves on by the clock: intro → answering at opensAt, answering → reveal at the deadline.
   * Returns whether the phase changed (call again: a long pause may cross both).
   */
  tick(now: number): boolean {
    if (this.snap.phase === "intro" && now >= this.snap.opensAt) {
      this.snap = { ...this.snap, phase: "answering" };
      return true;
    }
    if (this.snap.phase === "answering" && now >= this.snap.deadline) {
      this.reveal();
      return true;
    }
    return false;
  }

  /** When the clock next moves the game (null: it waits for the host). */
  nextTimer(): number | null {
    if (this.snap.phase === "intro") return this.snap.opensAt;
    if (this.snap.phase === "answering") return this.snap.deadline;
    return null;
  }

  /** The host closes answering early. */
  close(now: number): { ok: true } | Refusal {
    if (this.snap.phase === "intro") this.tick(Math.max(now, this.snap.opensAt));
    if (this.snap.phase !== "answering") return refuse("wrong_phase", "no question is open");
    this.reveal();
    return { ok: true };
  }

  private reveal(): void {
    this.snap = { ...this.snap, phase: "reveal", revealed: Math.max(this.snap.revealed, this.snap.q + 1) };
    this.applyReveal(this.snap.q, this.current);
  }

  /** Adds question q's answers to the scores and moves every player's streak. */
  private applyReveal(q: number, answers: ReadonlyMap<string, AnswerRecord>): void {
    const question = this.questions[q];
    const poll = question.type === "poll";
    for (const p of this.players.values()) {
      if (p.kicked) continue;
      const a = answers.get(p.id);
      if (a) {
        p.score += a.points;
        p.streak = a.streak;
      } else {
        p.streak = scoreAnswer({ check: null, points: question.points, poll, timeMs: 0, timeLimitMs: 1, streak: p.streak }, this.settings.scoring).streak;
      }
      p.last = { q, answered: !!a, correct: !!a?.correct, points: a?.points ?? 0, bonus: a?.bonus ?? 0 };
    }
    this.rankingCache = null;
  }

  /** reveal → leaderboard → next question (or podium after the last) → ended. */
  next(now: number): { ok: true } | Refusal {
    switch (this.snap.phase) {
      case "reveal":
        this.snap = { ...this.snap, phase: "leaderboard" };
        return { ok: true };
      case "leaderboard":
        if (this.snap.q + 1 < this.questions.length) this.openQuestion(this.snap.q + 1, now);
        else this.snap = { ...this.snap, phase: "podium" };
        return { ok: true };
      case "podium":
        this.snap = { ...this.snap, phase: "ended" };
        return { ok: true };
      default:
        return refuse("wrong_phase", `"next" is not possible in the ${this.snap.phase} phase`);
    }
  }

  end(): { ok: true } | Refusal {
    if (this.snap.phase === "ended") return refuse("wrong_phase", "the game has already ended");
    this.snap = { ...this.snap, phase: "ended" };
    return { ok: true };
  }

  /**
   * A player's answer arriving at `now`. Refused with a reason when the player may not answer,
   * the question is not the open one, it is not open yet or any more, or it was answered already
   * (the first answer stands).
   */
  answer(playerId: string, q: number, answer: Answer, now: number): { ok: true; record: AnswerRecord } | Refusal {
    const p = this.players.get(playerId);
    if (!p) return refuse("not_joined", "join the game first");
    if (p.kicked) return refuse("kicked", "you were removed from this game");
    if (this.snap.phase === "intro" && now >= this.snap.opensAt) this.tick(now);
    if (this.snap.phase === "answering" && now >= this.snap.deadline && q === this.snap.q) return refuse("late", "time is up for this question");
    if (q !== this.snap.q || this.snap.phase === "lobby" || this.snap.phase === "podium" || this.snap.phase === "ended") return refuse("not_asked", "that question is not being asked");
    if (this.snap.phase === "intro") return refuse("not_open", "answers are not open yet");
    if (this.current.has(playerId)) return refuse("already_answered", "you already answered this question");
    if (this.snap.phase !== "answering") return refuse("late", "time is up for this question");
    const question = this.questions[q];
    const check = checkAnswer(question, answer);
    if (check.invalid) return refuse("invalid_answer", "that answer does not fit the question");
    const timeLimitMs = this.snap.deadline - this.snap.opensAt;
    const timeMs = Math.min(Math.max(0, now - this.snap.opensAt), timeLimitMs);
    const scored = scoreAnswer({ check, points: question.points, poll: question.type === "poll", timeMs, timeLimitMs, streak: p.streak }, this.settings.scoring);
    const record: AnswerRecord = { playerId, q, answer, timeMs, correct: check.correct, points: scored.points, bonus: scored.bonus, streak: scored.streak, buckets: answerBuckets(question, answer, check) };
    this.current.set(playerId, record);
    return { ok: true, record };
  }

  /** Forgets an answer whose storing failed (it was never acknowledged). */
  dropAnswer(playerId: string, q: number): void {
    if (q === this.snap.q) this.current.delete(playerId);
  }

  /** Everyone not kicked, best first; equal scores share a rank (then by nickname, for a stable order). */
  ranking(): RankedPlayer[] {
    if (this.rankingCache) return this.rankingCache;
    const list = [...this.players.values()].filter((p) => !p.kicked).sort((a, b) => b.score - a.score || a.nickname.localeCompare(b.nickname));
    const out: RankedPlayer[] = [];
    list.forEach((p, i) => {
      const rank = i > 0 && list[i - 1].score === p.score ? out[i - 1].rank : i + 1;
      out.push({ playerId: p.id, nickname: p.nickname, score: p.score, streak: p.streak, rank });
    });
    this.rankingCache = out;
    return out;
  }

  rankOf(playerId: string): number | null {
    if (this.snap.phase === "lobby") return null;
    return this.ranking().find((r) => r.playerId === playerId)?.rank ?? null;
  }

  /** Ranks of every player at once (for the per-player messages after a reveal). */
  rankMap(): Map<string, number> {
    return new Map(this.ranking().map((r) => [r.playerId, r.rank]));
  }

  standing(playerId: string, rank?: number | null): PlayerStanding {
    const p = this.players.get(playerId)!;
    const s: PlayerStanding = { playerId: p.id, nickname: p.nickname, score: p.score, streak: p.streak, rank: rank === undefined ? this.rankOf(p.id) : rank };
    if (p.last) s.last = { ...p.last };
    if ((this.snap.phase === "intro" || this.snap.phase === "answering") && this.current.has(p.id)) s.answeredQ = this.snap.q;
    return s;
  }

  publicQuestion(q: number): PublicQuestion {
    if (this.publicCache?.q !== q) this.publicCache = { q, view: publicQuestion(this.questions[q], q) };
    return this.publicCache.view;
  }

  /** The game as everybody may see it at `now`. */
  view(now: number): GameView {
    const players = this.activePlayers;
    const { phase, q } = this.snap;
    switch (phase) {
      case "lobby":
        return { phase, players };
      case "ended":
        return { phase, players };
      case "intro":
      case "answering":
        return { phase, q, count: this.questions.length, question: this.publicQuestion(q), opensAt: this.snap.opensAt, deadline: this.snap.deadline, now, players };
      case "reveal": {
        const question = this.questions[q];
        const distribution: Record<string, number> = {};
        let correct = 0;
        for (const a of this.current.values()) {
          if (a.correct) correct++;
          for (const b of a.buckets) distribution[b] = (distribution[b] ?? 0) + 1;
        }
        const view: GameView = {
          phase,
          q,
          count: this.questions.length,
          question: this.publicQuestion(q),
          answer: revealedAnswer(question),
          distribution,
          answered: this.current.size,
          correctShare: players ? correct / players : 0,
          players,
        };
        if (question.explanation) view.explanation = question.explanation;
        return view;
      }
      case "leaderboard":
        return { phase, q, count: this.questions.length, top: this.ranking().slice(0, this.settings.leaderboardSize), players };
      case "podium":
        return { phase, podium: this.ranking().filter((r) => r.rank <= this.settings.podiumPlaces), players };
    }
  }
}
