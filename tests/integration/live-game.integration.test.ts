// Live quiz games through real WebSockets against the lean upgrade route (issue 14 points 2-5,
// 7, 9): joining and its refusals, answering and its refusals, rejoin with the token, kick,
// host reload, a server restart mid-question, and the results — on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, insertUser, testProviders, type TestDb } from "./helpers/test-db";
import { Client, cookieSessions, LIVE_ORIGIN, startLiveServer, type LiveServer } from "./helpers/live-ws";
import { createLiveGame, endLiveGame, listLiveGames, liveGameResults } from "@/lib/server/live/games";
import type { QuestionInput } from "@/lib/live/questions";
import type { PlayerStanding } from "@/lib/live/protocol";
import { speedPoints } from "@/lib/live/scoring";

const questions: QuestionInput[] = [
  { type: "single", prompt: "2 + 2?", options: ["3", "4", "5"], correct: 1, timeLimitSec: 20, explanation: "Arithmetic." },
  { type: "text", prompt: "Capital of Spain?", accepted: ["Madrid"], timeLimitSec: 20 },
  { type: "truefalse", prompt: "Recall is TP / (TP + FN)", correct: true, timeLimitSec: 10 },
];

describe.each(testProviders)("live games (%s)", (provider) => {
  let t: TestDb;
  let srv: LiveServer;
  let instructor: { id: string };
  let other: { id: string };
  const sessions = () => cookieSessions([instructor.id, other.id]);
  const start = (extra: Partial<Parameters<typeof startLiveServer>[0]> = {}) =>
    startLiveServer({ db: t.db, sessionUser: sessions(), origin: LIVE_ORIGIN, trustedProxies: "127.0.0.1/32", ...extra });

  beforeAll(async () => {
    t = await createTestDb(provider);
    instructor = await insertUser(t.db, "instructor");
    other = await insertUser(t.db, "instructor");
    srv = await start();
  });
  afterAll(async () => {
    await srv?.stop();
    await t?.drop();
  });

  async function newGame(settings: object = { introMs: 0 }) {
    return createLiveGame(t.db, { hostId: instructor.id, title: "Test quiz", questions, settings });
  }
  let ipSeq = 0;
  const ip = () => `10.0.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
  async function player(pin: string, nickname: string, port = srv.port) {
    const c = new Client(port, { forwardedFor: ip() });
    const w = await c.ask({ t: "join", pin, nickname }, "welcome");
    if (w.role !== "player") throw new Error("role");
    return { c, token: w.token!, id: w.you.playerId };
  }
  async function host(gameId: string, port = srv.port) {
    const h = new Client(port, { cookie: `session=${instructor.id}`, origin: LIVE_ORIGIN });
    const w = await h.ask({ t: "host", gameId }, "welcome");
    if (w.role !== "host") throw new Error("role");
    return { h, w };
  }

  it("creates games with unique 6-digit PINs and refuses bad questions", async () => {
    const a = await newGame();
    const b = await newGame();
    expect(a.pin).toMatch(/^\d{6}$/);
    expect(a.pin).not.toBe(b.pin);
    await expect(createLiveGame(t.db, { hostId: instructor.id, title: "x", questions: [{ type: "single", prompt: "x", options: ["a"], correct: 0 }] as QuestionInput[] })).rejects.toMatchObject({ code: "invalidInput" });
    expect((await listLiveGames(t.db, { hostId: instructor.id })).length).toBeGreaterThanOrEqual(2);
  });

  it("refuses a wrong PIN, bad nicknames and a taken one, each with its code, and keeps the socket usable", async () => {
    const { pin } = await newGame();
    const c = new Client(srv.port, { forwardedFor: ip() });
    expect(await c.ask({ t: "join", pin: "000000", nickname: "Ana" }, "error")).toMatchObject({ code: "wrong_pin" });
    expect(await c.ask({ t: "join", pin, nickname: "x".repeat(200) }, "error")).toMatchObject({ code: "nickname_too_long" });
    expect(await c.ask({ t: "join", pin, nickname: "   " }, "error")).toMatchObject({ code: "nickname_empty" });
    expect(await c.ask({ t: "join", pin, nickname: "a\u0007b" }, "error")).toMatchObject({ code: "nickname_invalid" });
    expect(await c.ask({ t: "join", pin, nickname: "gilipollas" }, "error")).toMatchObject({ code: "nickname_offensive" });
    expect(await c.ask({ t: "join", pin, nickname: "x".repeat(201) }, "error")).toMatchObject({ code: "malformed" });
    const ana = await player(pin, "Ana");
    expect(await c.ask({ t: "join", pin, nickname: " ANA " }, "error")).toMatchObject({ code: "nickname_taken" });
    expect(await c.ask({ t: "join", pin, nickname: "Bea" }, "welcome")).toMatchObject({ role: "player", you: { nickname: "Bea", score: 0 } });
    expect(await c.ask({ t: "join", pin, nickname: "Bea2" }, "error")).toMatchObject({ code: "already_joined" });
    // A signed-in player is linked to the account (same-origin upgrade with the session cookie).
    const signed = new Client(srv.port, { forwardedFor: ip(), cookie: `session=${other.id}`, origin: LIVE_ORIGIN });
    const w = await signed.ask({ t: "join", pin, nickname: "Signed" }, "welcome");
    if (w.role !== "player") throw new Error("role");
    expect((await t.db.livePlayer.findUnique({ where: { id: w.you.playerId } }))!.userId).toBe(other.id);
    expect((await t.db.livePlayer.findUnique({ where: { id: ana.id } }))!.userId).toBeNull();
    // The token is stored hashed only.
    expect((await t.db.livePlayer.findUnique({ where: { id: ana.id } }))!.tokenHash).not.toContain(ana.token);
    await signed.close();
    await c.close();
    await ana.c.close();
  });

  it("answers malformed and oversized messages with an error and goes on", async () => {
    const { pin } = await newGame();
    const c = new Client(srv.port, { forwardedFor: ip() });
    expect(await c.ask("not json", "error")).toMatchObject({ code: "malformed" });
    expect(await c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 0 } }, "error")).toMatchObject({ code: "not_joined" });
    expect(await c.ask({ t: "fly" }, "error")).toMatchObject({ code: "malformed" });
    expect(await c.ask({ t: "join", pin, nickname: "Cleo" }, "welcome")).toMatchObject({ role: "player" });
    expect(await c.ask({ t: "answer", q: 0, answer: { type: "single", choice: "zero" } }, "error")).toMatchObject({ code: "malformed" });
    expect(await c.ask({ t: "start" }, "error")).toMatchObject({ code: "not_host" });
    expect(await c.ask({ t: "ping", ref: 3 }, "pong")).toMatchObject({ ref: 3 });
    await c.send("x".repeat(5000));
    expect((await c.waitClosed()).code).toBe(1009);
  });

  it("rate-limits a join flood from one address", async () => {
    const { pin } = await newGame();
    // Its own server with a small limit (10 at once, then 1 per second), so a slow machine cannot refill it mid-test.
    const limited = await start({ joinLimit: { burst: 10, perSecond: 1 } });
    try {
      // 60 sockets from one address, each trying to join once.
      const flood = Array.from({ length: 60 }, () => new Client(limited.port, { forwardedFor: "10.99.0.1" }));
      const replies = await Promise.all(flood.map((c, i) => c.reply({ t: "join", pin, nickname: `flood${i}` })));
      const codes = replies.map((m) => (m.t === "error" ? m.code : m.t));
      expect(codes.filter((c) => c === "welcome").length).toBeGreaterThanOrEqual(10);
      expect(codes.filter((c) => c === "rate_limited").length).toBeGreaterThanOrEqual(20);
      expect(codes.filter((c) => c !== "welcome" && c !== "rate_limited")).toEqual([]);
      expect(replies.find((m) => m.t === "error")).toMatchObject({ code: "rate_limited", retryMs: expect.any(Number) });
      // Another address is not affected.
      const other = new Client(limited.port, { forwardedFor: "10.99.0.2" });
      expect(await other.ask({ t: "join", pin, nickname: "Dora" }, "welcome")).toMatchObject({ role: "player" });
      for (const c of [...flood, other]) await c.close();
    } finally {
      await limited.stop();
    }
  });

  it("plays a game: host controls, speed points, refusals, rejoin keeping score, kick, host reload, results", async () => {
    const game = await newGame({ introMs: 0 });
    // Hosting needs the instructor's session.
    const anon = new Client(srv.port);
    expect(await anon.ask({ t: "host", gameId: game.gameId }, "error")).toMatchObject({ code: "not_signed_in" });
    const intruder = new Client(srv.port, { cookie: `session=${other.id}` });
    expect(await intruder.ask({ t: "host", gameId: game.gameId }, "error")).toMatchObject({ code: "not_host" });
    const crossSite = new Client(srv.port, { cookie: `session=${instructor.id}`, origin: "https://evil.example" });
    expect(await crossSite.ask({ t: "host", gameId: game.gameId }, "error")).toMatchObject({ code: "not_signed_in" });

    const { h, w } = await host(game.gameId);
    expect(w).toMatchObject({ role: "host", pin: game.pin, questionCount: 3, podiumPlaces: 3, game: { phase: "lobby" } });
    const ana = await player(game.pin, "Ana");
    const bea = await player(game.pin, "Bea");
    const carl = await player(game.pin, "Carl");
    const players = await h.next("players", (m) => m.players.length === 3);
    expect(players.players.map((p) => p.nickname).sort()).toEqual(["Ana", "Bea", "Carl"]);

    // Question 0.
    const q0 = ana.c.next("state", (m) => m.game.phase === "answering");
    await h.send({ t: "start" });
    const s0 = (await q0).game;
    if (s0.phase !== "answering") throw new Error("phase");
    expect(s0.question).toEqual({ type: "single", prompt: "2 + 2?", options: ["3", "4", "5"], timeLimitSec: 20, points: 1000 });
    expect(JSON.stringify(s0)).not.toContain("Arithmetic");
    expect(await ana.c.ask({ t: "answer", q: 1, answer: { type: "text", text: "Madrid" } }, "error")).toMatchObject({ code: "not_asked" });
    expect(await ana.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 7 } }, "error")).toMatchObject({ code: "invalid_answer" });
    expect(await ana.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 }, ref: 1 }, "ack")).toEqual({ t: "ack", q: 0, ref: 1 });
    expect(await ana.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 0 }, ref: 2 }, "error")).toMatchObject({ code: "already_answered", ref: 2 });
    await new Promise((r) => setTimeout(r, 600));
    expect(await bea.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 } }, "ack")).toMatchObject({ q: 0 });
    expect(await h.next("answers", (m) => m.answered === 2)).toMatchObject({ q: 0, players: 3 });
    // Bea drops and comes back with her token: same player, answer already taken.
    await bea.c.close();
    const bea2 = new Client(srv.port, { forwardedFor: ip() });
    const back = await bea2.ask({ t: "rejoin", pin: game.pin, token: bea.token }, "welcome");
    expect(back).toMatchObject({ role: "player", you: { playerId: bea.id, nickname: "Bea", answeredQ: 0 }, game: { phase: "answering", q: 0 } });
    expect(back).not.toHaveProperty("token");
    expect(await new Client(srv.port, { forwardedFor: ip() }).ask({ t: "rejoin", pin: game.pin, token: "x".repeat(43) }, "error")).toMatchObject({ code: "bad_token" });

    const reveal = ana.c.next("state", (m) => m.game.phase === "reveal");
    const anaYou = ana.c.next("you");
    await h.send({ t: "close" });
    const r0 = (await reveal).game;
    expect(r0).toMatchObject({ phase: "reveal", answer: { type: "single", correct: 1 }, explanation: "Arithmetic.", answered: 2, distribution: { 1: 2 } });
    const ya = (await anaYou).you as PlayerStanding;
    expect(ya.last).toMatchObject({ q: 0, answered: true, correct: true });
    expect(ya.score).toBeGreaterThan(900);
    const yb = (await bea2.next("you")).you;
    const rows = await t.db.liveAnswer.findMany({ where: { gameId: game.gameId }, orderBy: { ms: "asc" } });
    expect(rows.map((r) => r.points)).toEqual(rows.map((r) => speedPoints(1000, r.ms, 20_000)));
    expect(yb.score).toBe(rows.find((r) => r.playerId === bea.id)!.points);
    expect((await carl.c.next("you")).you).toMatchObject({ score: 0, streak: 0, last: { answered: false } });

    // Late: the question is closed.
    expect(await carl.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 } }, "error")).toMatchObject({ code: "late" });

    // Host reload: a new host socket picks the game up where it is.
    await h.close();
    const { h: h2, w: w2 } = await host(game.gameId);
    expect(w2.game).toMatchObject({ phase: "reveal", q: 0 });
    expect(w2.players.find((p) => p.nickname === "Bea")).toMatchObject({ connected: true, score: yb.score });

    // Kick Carl: told, disconnected, token dead, nickname free again.
    await h2.send({ t: "kick", playerId: carl.id });
    expect(await carl.c.next("error")).toMatchObject({ code: "kicked" });
    expect((await carl.c.waitClosed()).code).toBe(4001);
    expect(await new Client(srv.port, { forwardedFor: ip() }).ask({ t: "rejoin", pin: game.pin, token: carl.token }, "error")).toMatchObject({ code: "kicked" });

    // Question 1 (typed answer): everyone connected answers, so it reveals without waiting.
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "leaderboard");
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "answering" && m.game.q === 1);
    await ana.c.ask({ t: "answer", q: 1, answer: { type: "text", text: "  madrid " } }, "ack");
    await bea2.ask({ t: "answer", q: 1, answer: { type: "text", text: "Barcelona" } }, "ack");
    const r1 = await h2.next("state", (m) => m.game.phase === "reveal");
    expect(r1.game).toMatchObject({ q: 1, answered: 2, correctShare: 0.5, answer: { type: "text", accepted: ["Madrid"] } });
    const you1 = (await ana.c.next("you", (m) => m.you.last?.q === 1)).you;
    expect(you1.streak).toBe(2);
    expect(you1.last!.bonus).toBe(100);

    // Last question, then the podium and the end.
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "leaderboard");
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "answering" && m.game.q === 2);
    await h2.ask({ t: "close" }, "state", (m) => m.game.phase === "reveal");
    const podium = await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "leaderboard").then(() => h2.ask({ t: "next" }, "state", (m) => m.game.phase === "podium"));
    if (podium.game.phase !== "podium") throw new Error("phase");
    expect(podium.game.podium.map((p) => p.nickname)).toEqual(["Ana", "Bea"]);
    expect((await h2.next("ranking")).ranking.map((r) => r.nickname)).toEqual(["Ana", "Bea"]);
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "ended");
    expect((await ana.c.waitClosed()).code).toBe(4003);

    // The phase is stored right after it is broadcast.
    let results = await liveGameResults(t.db, { gameId: game.gameId, userId: instructor.id });
    for (let i = 0; i < 50 && results.game.phase !== "ended"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      results = await liveGameResults(t.db, { gameId: game.gameId, userId: instructor.id });
    }
    expect(results.game).toMatchObject({ phase: "ended", questionCount: 3 });
    expect(results.questions.map((q) => q.correctShare)).toEqual([1, 0.5, 0]);
    expect(results.players.map((p) => [p.nickname, p.rank, p.kicked])).toEqual([["Ana", 1, false], ["Bea", 2, false], ["Carl", 3, true]]);
    expect(results.players[0].score).toBe(you1.score);
    expect(results.players[0].answers.map((a) => a.q)).toEqual([0, 1]);
    await expect(liveGameResults(t.db, { gameId: game.gameId, userId: other.id })).rejects.toMatchObject({ code: "notFound" });
    // The PIN is free again once the game ended.
    expect((await t.db.liveGame.findUnique({ where: { id: game.gameId } }))!.activePin).toBeNull();
    expect(await new Client(srv.port, { forwardedFor: ip() }).ask({ t: "join", pin: game.pin, nickname: "Late" }, "error")).toMatchObject({ code: "wrong_pin" });
    await h2.close();
    await bea2.close();
  });

  it("a restarted server resumes a game mid-question from the database, keeping the deadline", async () => {
    const game = await newGame({ introMs: 0 });
    const { h } = await host(game.gameId);
    const ana = await player(game.pin, "Ana");
    const bea = await player(game.pin, "Bea");
    await h.ask({ t: "start" }, "state", (m) => m.game.phase === "answering");
    await ana.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 } }, "ack");
    await h.ask({ t: "close" }, "state", (m) => m.game.phase === "reveal");
    await h.ask({ t: "next" }, "state", (m) => m.game.phase === "leaderboard");
    await h.ask({ t: "next" }, "state", (m) => m.game.phase === "answering" && m.game.q === 1);
    await ana.c.ask({ t: "answer", q: 1, answer: { type: "text", text: "Madrid" } }, "ack");
    await h.ask({ t: "close" }, "state", (m) => m.game.phase === "reveal");
    await h.ask({ t: "next" }, "state", (m) => m.game.phase === "leaderboard");
    const open = await h.ask({ t: "next" }, "state", (m) => m.game.phase === "answering" && m.game.q === 2);
    if (open.game.phase !== "answering") throw new Error("phase");
    const deadline = open.game.deadline;
    await ana.c.ask({ t: "answer", q: 2, answer: { type: "truefalse", value: true } }, "ack");
    const before = (await t.db.liveAnswer.findMany({ where: { gameId: game.gameId } })).length;

    // Stop the server (sockets closed with 1012) and start a new one on the same database.
    const port = srv.port;
    await srv.stop();
    expect((await ana.c.waitClosed()).code).toBe(1012);
    srv = await start({ port });
    const ana2 = new Client(port, { forwardedFor: ip() });
    const back = await ana2.ask({ t: "rejoin", pin: game.pin, token: ana.token }, "welcome");
    // The old process wrote its last phase change before letting go (hub close awaits the store).
    expect(back, `rejoined ${deadline - Date.now()} ms before the deadline`).toMatchObject({ game: { phase: "answering", q: 2, deadline }, you: { answeredQ: 2, streak: 2 } });
    if (back.role !== "player") throw new Error("role");
    expect(back.you.score).toBeGreaterThan(1900);
    const bea2 = new Client(port, { forwardedFor: ip() });
    await bea2.ask({ t: "rejoin", pin: game.pin, token: bea.token }, "welcome");
    expect(await ana2.ask({ t: "answer", q: 2, answer: { type: "truefalse", value: false } }, "error")).toMatchObject({ code: "already_answered" });
    const { h: h2 } = await host(game.gameId, port);
    // The stored deadline holds: the question closes by the server clock on the new process.
    const reveal = await h2.next("state", (m) => m.game.phase === "reveal", Math.max(1000, deadline - Date.now() + 3000));
    expect(Date.now()).toBeGreaterThanOrEqual(deadline);
    expect(reveal.game).toMatchObject({ q: 2, answered: 1 });
    expect(await bea2.ask({ t: "answer", q: 2, answer: { type: "truefalse", value: true } }, "error")).toMatchObject({ code: "late" });
    const you = (await ana2.next("you", (m) => m.you.last?.q === 2)).you;
    expect(you.streak).toBe(3);
    expect((await t.db.liveAnswer.findMany({ where: { gameId: game.gameId } })).length).toBe(before);
    await endLiveGame(t.db, { gameId: game.gameId, userId: instructor.id });
    for (const c of [h, h2, ana2, bea2, bea.c]) await c.close();
  }, 45_000);
});
