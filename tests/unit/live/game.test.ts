import { describe, expect, it } from "vitest";
import { LiveGame, type LivePlayerState } from "@/lib/live/game";
import { questionListSchema } from "@/lib/live/questions";
import { gameSettingsSchema } from "@/lib/live/settings";

const questions = questionListSchema.parse([
  { type: "single", prompt: "q0", options: ["a", "b"], correct: 0, timeLimitSec: 10 },
  { type: "truefalse", prompt: "q1", correct: true, timeLimitSec: 10, explanation: "because" },
  { type: "poll", prompt: "q2", options: ["x", "y"], timeLimitSec: 10 },
]);
const settings = gameSettingsSchema.parse({ introMs: 1000 });
const T0 = 1_000_000;

function game(over: Partial<typeof settings> = {}) {
  const g = new LiveGame("g1", "123456", questions, { ...settings, ...over });
  for (const [id, nickname] of [["p1", "Ana"], ["p2", "Bea"], ["p3", "Carl"]]) {
    const r = g.addJoined({ id, nickname, userId: null });
    expect("ok" in r).toBe(false);
  }
  return g;
}

describe("LiveGame", () => {
  it("goes lobby → intro → answering → reveal → leaderboard → … → podium → ended", () => {
    const g = game();
    expect(g.phase).toBe("lobby");
    expect(g.next(T0)).toMatchObject({ ok: false, code: "wrong_phase" });
    expect(g.start(T0)).toEqual({ ok: true });
    expect(g.phase).toBe("intro");
    expect(g.nextTimer()).toBe(T0 + 1000);
    expect(g.tick(T0 + 999)).toBe(false);
    expect(g.tick(T0 + 1000)).toBe(true);
    expect(g.phase).toBe("answering");
    expect(g.deadline).toBe(T0 + 11_000);
    expect(g.tick(T0 + 11_000)).toBe(true);
    expect(g.phase).toBe("reveal");
    g.next(T0 + 12_000);
    expect(g.phase).toBe("leaderboard");
    g.next(T0 + 13_000);
    expect([g.phase, g.q]).toEqual(["intro", 1]);
    g.close(T0 + 13_500);
    expect(g.phase).toBe("reveal");
    g.next(0);
    g.next(T0 + 20_000);
    expect(g.q).toBe(2);
    g.tick(T0 + 21_000);
    g.tick(T0 + 31_000);
    g.next(0);
    g.next(0);
    expect(g.phase).toBe("podium");
    g.next(0);
    expect(g.phase).toBe("ended");
    expect(g.end()).toMatchObject({ ok: false });
  });

  it("scores by speed on the server clock, adds at the reveal, builds and resets streaks", () => {
    const g = game();
    g.start(T0);
    const open = T0 + 1000;
    expect(g.answer("p1", 0, { type: "single", choice: 0 }, open + 200)).toMatchObject({ ok: true, record: { points: 1000, timeMs: 200 } });
    expect(g.answer("p2", 0, { type: "single", choice: 0 }, open + 5000)).toMatchObject({ ok: true, record: { points: 750 } });
    expect(g.answer("p3", 0, { type: "single", choice: 1 }, open + 100)).toMatchObject({ ok: true, record: { points: 0, correct: false } });
    expect(g.players.get("p1")!.score).toBe(0); // not before the reveal
    g.close(open + 6000);
    expect(g.ranking().map((r) => [r.nickname, r.score, r.rank])).toEqual([["Ana", 1000, 1], ["Bea", 750, 2], ["Carl", 0, 3]]);
    const view = g.view(open + 6000);
    expect(view).toMatchObject({ phase: "reveal", answered: 3, correctShare: 2 / 3, distribution: { 0: 2, 1: 1 } });
    g.next(0);
    g.next(open + 10_000);
    const open2 = open + 11_000;
    g.answer("p1", 1, { type: "truefalse", value: true }, open2 + 100); // streak 2 → +100
    g.answer("p3", 1, { type: "truefalse", value: true }, open2 + 100);
    g.close(open2 + 200);
    expect(g.standing("p1")).toMatchObject({ score: 2100, streak: 2, rank: 1, last: { q: 1, correct: true, points: 1100, bonus: 100 } });
    expect(g.standing("p2")).toMatchObject({ score: 750, streak: 0, last: { answered: false } }); // no answer resets
    expect(g.standing("p3")).toMatchObject({ score: 1000, streak: 1 });
    expect(g.view(0)).toMatchObject({ phase: "reveal", explanation: "because", answer: { type: "truefalse", correct: true } });
  });

  it("streaks off: no bonus", () => {
    const g = game({ scoring: { ...settings.scoring, streaks: false } });
    g.start(T0);
    g.answer("p1", 0, { type: "single", choice: 0 }, T0 + 1000);
    g.close(T0 + 2000);
    g.next(0);
    g.next(T0 + 3000);
    g.answer("p1", 1, { type: "truefalse", value: true }, T0 + 4000);
    g.close(T0 + 5000);
    expect(g.standing("p1")).toMatchObject({ score: 2000, streak: 0 });
  });

  it("refuses answers with a reason: not open, late, second answer, not asked, invalid, kicked", () => {
    const g = game();
    expect(g.answer("p1", 0, { type: "single", choice: 0 }, T0)).toMatchObject({ ok: false, code: "not_asked" });
    g.start(T0);
    expect(g.answer("p1", 0, { type: "single", choice: 0 }, T0 + 10)).toMatchObject({ ok: false, code: "not_open" });
    expect(g.answer("p1", 1, { type: "truefalse", value: true }, T0 + 2000)).toMatchObject({ ok: false, code: "not_asked" });
    expect(g.answer("p1", 0, { type: "truefalse", value: true }, T0 + 2000)).toMatchObject({ ok: false, code: "invalid_answer" });
    expect(g.answer("p1", 0, { type: "single", choice: 0 }, T0 + 2000)).toMatchObject({ ok: true });
    expect(g.answer("p1", 0, { type: "single", choice: 1 }, T0 + 2100)).toMatchObject({ ok: false, code: "already_answered" });
    expect(g.answer("p2", 0, { type: "single", choice: 0 }, T0 + 11_000)).toMatchObject({ ok: false, code: "late" });
    g.kick("p3");
    expect(g.answer("p3", 0, { type: "single", choice: 0 }, T0 + 2000)).toMatchObject({ ok: false, code: "kicked" });
    expect(g.answer("nobody", 0, { type: "single", choice: 0 }, T0 + 2000)).toMatchObject({ ok: false, code: "not_joined" });
    g.tick(T0 + 11_000);
    expect(g.answer("p2", 0, { type: "single", choice: 0 }, T0 + 11_001)).toMatchObject({ ok: false, code: "late" });
    expect(g.players.get("p1")!.score).toBe(950); // 1 s of 10: 1000 × (1 − 0.1/2)
  });

  it("joins: nicknames unique ignoring case and accents, full, late join setting, kicked frees the name", () => {
    const g = game({ maxPlayers: 4 });
    expect(g.addJoined({ id: "x", nickname: "ANA", userId: null })).toMatchObject({ ok: false, code: "nickname_taken" });
    expect(g.addJoined({ id: "p4", nickname: "Dé", userId: null })).toMatchObject({ id: "p4" });
    expect(g.addJoined({ id: "p5", nickname: "Eve", userId: null })).toMatchObject({ ok: false, code: "game_full" });
    g.kick("p4");
    expect(g.addJoined({ id: "p6", nickname: "de", userId: "u6" })).toMatchObject({ id: "p6", userId: "u6" });
    expect(g.rejoin("p4")).toMatchObject({ ok: false, code: "kicked" });
    const strict = game({ lateJoin: false });
    strict.start(T0);
    expect(strict.addJoined({ id: "z", nickname: "Zed", userId: null })).toMatchObject({ ok: false, code: "game_started" });
  });

  it("rejoin keeps score and streak; a restored game goes on where it was", () => {
    const g = game();
    g.start(T0);
    const first = g.answer("p1", 0, { type: "single", choice: 0 }, T0 + 1000);
    const stored = first.ok ? [first.record] : [];
    g.close(T0 + 2000);
    g.next(0);
    g.next(T0 + 3000);
    g.tick(T0 + 4000);
    const ans = g.answer("p1", 1, { type: "truefalse", value: true }, T0 + 4400);
    expect(g.rejoin("p1")).toMatchObject({ score: 1000, streak: 1 });
    expect(g.standing("p1")).toMatchObject({ answeredQ: 1 });
    // Rebuilt from what storage holds: snapshot, players, the current question's answers.
    const players: LivePlayerState[] = [...g.players.values()].map((p) => ({ ...p }));
    const r = LiveGame.restore({ id: g.id, pin: g.pin, questions, settings, snapshot: g.snapshot(), players, answers: [...stored, ...(ans.ok ? [ans.record] : [])] });
    expect(r.standing("p1")).toMatchObject({ score: 1000, streak: 1, answeredQ: 1 });
    expect([r.phase, r.q]).toEqual(["answering", 1]);
    expect(r.answer("p1", 1, { type: "truefalse", value: true }, T0 + 4600)).toMatchObject({ ok: false, code: "already_answered" });
    expect(r.addJoined({ id: "dup", nickname: "bea", userId: null })).toMatchObject({ code: "nickname_taken" });
    r.tick(T0 + 14_000);
    expect(r.standing("p1")).toMatchObject({ score: 2100, streak: 2 });
  });

  it("podium places are a setting; ties share a rank", () => {
    const g = game({ podiumPlaces: 2 });
    g.start(T0);
    g.answer("p1", 0, { type: "single", choice: 0 }, T0 + 1000);
    g.answer("p2", 0, { type: "single", choice: 0 }, T0 + 1000);
    g.close(T0 + 2000);
    for (let i = 0; i < 2; i++) {
      g.next(0);
      g.next(T0);
      g.close(T0 + 5000);
    }
    g.next(0);
    g.next(0);
    expect(g.phase).toBe("podium");
    const v = g.view(0);
    expect(v).toMatchObject({ phase: "podium", podium: [{ nickname: "Ana", rank: 1 }, { nickname: "Bea", rank: 1 }] });
    expect(g.ranking()[2]).toMatchObject({ nickname: "Carl", rank: 3 });
  });

  it("the view of an open question has no answer", () => {
    const g = game();
    g.start(T0);
    const text = JSON.stringify(g.view(T0));
    expect(text).not.toContain("correct\":");
    expect(g.view(T0)).toMatchObject({ phase: "intro", opensAt: T0 + 1000, deadline: T0 + 11_000, now: T0, players: 3 });
  });
});
