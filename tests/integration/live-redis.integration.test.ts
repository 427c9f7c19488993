// Live games shared by two instances through the real Redis at REDIS_TEST_URL (default
// redis://127.0.0.1:6379; keys under a prefix unique to this run, removed after): players on
// both instances play one game, the owner's clock and scoring serve all of them, and when the
// owner stops the other instance takes the game over from the database (issue 14 point 8).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisLink, type RedisLink } from "@/lib/server/redis";
import { createLiveGame } from "@/lib/server/live/games";
import { createTestDb, insertUser, type TestDb } from "./helpers/test-db";
import { Client, cookieSessions, LIVE_ORIGIN, startLiveServer, type LiveServer } from "./helpers/live-ws";

const REDIS_URL = process.env.REDIS_TEST_URL || "redis://127.0.0.1:6379";
const PREFIX = `cuaderno-test-live-${randomUUID().slice(0, 8)}:`;

describe("live games across two instances through Redis", () => {
  let t: TestDb;
  let instructor: { id: string };
  const links: RedisLink[] = [];
  let a: LiveServer;
  let b: LiveServer;

  async function instance(log?: (m: string) => void): Promise<LiveServer> {
    const link = createRedisLink({ url: REDIS_URL, prefix: PREFIX, connectTimeoutMs: 2000, ...(log ? { log } : {}) });
    links.push(link);
    await link.ready(3000);
    return startLiveServer({ db: t.db, sessionUser: cookieSessions([instructor.id]), origin: LIVE_ORIGIN, redis: link, leaseMs: 1500, trustedProxies: "127.0.0.1/32" });
  }

  beforeAll(async () => {
    t = await createTestDb("sqlite");
    instructor = await insertUser(t.db, "instructor");
    a = await instance();
    b = await instance();
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    const link = links[0];
    if (link?.up()) {
      const keys = await link.client.keys(`${PREFIX}*`);
      if (keys.length) await link.client.del(...keys);
    }
    for (const l of links) await l.close();
    await t?.drop();
  });

  it("players on both instances play the same game; the second instance takes over when the owner stops", async () => {
    const game = await createLiveGame(t.db, {
      hostId: instructor.id,
      title: "Two instances",
      settings: { introMs: 0 },
      questions: [
        { type: "single", prompt: "q0", options: ["a", "b"], correct: 0 },
        { type: "single", prompt: "q1", options: ["a", "b"], correct: 1 },
      ],
    });
    // The host on A: A owns the game.
    const h = new Client(a.port, { cookie: `session=${instructor.id}`, origin: LIVE_ORIGIN });
    expect(await h.ask({ t: "host", gameId: game.gameId }, "welcome")).toMatchObject({ role: "host", pin: game.pin });
    expect(a.hub.hostOf(game.gameId)).toBeDefined();

    const join = async (port: number, nickname: string, ip: string) => {
      const c = new Client(port, { forwardedFor: ip });
      const w = await c.ask({ t: "join", pin: game.pin, nickname }, "welcome");
      return { c, token: w.role === "player" ? w.token! : "" };
    };
    const onA = await join(a.port, "Ana", "10.1.0.1");
    const onB = await join(b.port, "Bea", "10.1.0.2");
    const onB2 = await join(b.port, "Carl", "10.1.0.3");
    expect(b.hub.hostOf(game.gameId)).toBeUndefined(); // B forwards, it does not run the game
    // Nicknames are unique across instances (one owner decides).
    const dup = new Client(b.port, { forwardedFor: "10.1.0.4" });
    expect(await dup.ask({ t: "join", pin: game.pin, nickname: "ana" }, "error")).toMatchObject({ code: "nickname_taken" });
    expect((await h.next("players", (m) => m.players.length === 3)).players.map((p) => p.nickname).sort()).toEqual(["Ana", "Bea", "Carl"]);

    const seenB = onB.c.next("state", (m) => m.game.phase === "answering");
    const seenB2 = onB2.c.next("state", (m) => m.game.phase === "answering");
    await h.send({ t: "start" });
    expect((await seenB).game).toMatchObject({ q: 0, players: 3 });
    await seenB2;
    await onB.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 0 }, ref: 5 }, "ack", (m) => m.ref === 5);
    expect(await onB.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 } }, "error")).toMatchObject({ code: "already_answered" });
    await onA.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 1 } }, "ack");
    await onB2.c.ask({ t: "answer", q: 0, answer: { type: "single", choice: 0 } }, "ack");
    // All three answered: the owner reveals; B's players get the reveal and their standing.
    expect((await onB.c.next("state", (m) => m.game.phase === "reveal")).game).toMatchObject({ answered: 3, distribution: { 0: 2, 1: 1 } });
    const beaScore = (await onB.c.next("you")).you.score;
    expect(beaScore).toBeGreaterThan(500);
    expect((await onA.c.next("you")).you.score).toBe(0);

    // The owner stops: B closes its sockets of the game (1012), they rejoin on B, B takes over.
    await a.stop();
    expect((await onB.c.waitClosed(8000)).code).toBe(1012);
    const back = new Client(b.port, { forwardedFor: "10.1.0.2" });
    const w = await back.ask({ t: "rejoin", pin: game.pin, token: onB.token }, "welcome");
    expect(w).toMatchObject({ you: { nickname: "Bea", score: beaScore, streak: 1 }, game: { phase: "reveal", q: 0 } });
    expect(b.hub.hostOf(game.gameId)).toBeDefined();
    const h2 = new Client(b.port, { cookie: `session=${instructor.id}`, origin: LIVE_ORIGIN });
    await h2.ask({ t: "host", gameId: game.gameId }, "welcome");
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "leaderboard");
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "answering" && m.game.q === 1);
    await back.ask({ t: "answer", q: 1, answer: { type: "single", choice: 1 } }, "ack");
    await h2.send({ t: "close" });
    const you = (await back.next("you", (m) => m.you.last?.q === 1)).you;
    expect(you.streak).toBe(2);
    expect(you.score).toBeGreaterThan(beaScore + 1000);
    for (const c of [h, h2, back, onA.c, onB2.c, dup]) await c.close();
  }, 30_000);

  it("an owner that vanishes without a word (its lease runs out) is replaced: the players rejoin and the game goes on", async () => {
    const game = await createLiveGame(t.db, {
      hostId: instructor.id,
      title: "Crash",
      settings: { introMs: 0 },
      questions: [
        { type: "single", prompt: "q0", options: ["a", "b"], correct: 0 },
        { type: "single", prompt: "q1", options: ["a", "b"], correct: 1 },
      ],
    });
    const logs: string[] = [];
    const c = await instance((m) => logs.push(m));
    const h = new Client(c.port, { cookie: `session=${instructor.id}`, origin: LIVE_ORIGIN });
    await h.ask({ t: "host", gameId: game.gameId }, "welcome");
    const p = new Client(b.port, { forwardedFor: "10.2.0.1" });
    const w = await p.ask({ t: "join", pin: game.pin, nickname: "Eva" }, "welcome");
    const token = w.role === "player" ? w.token! : "";
    await h.ask({ t: "start" }, "state", (m) => m.game.phase === "answering");
    await p.ask({ t: "answer", q: 0, answer: { type: "single", choice: 0 } }, "ack");
    const you = (await p.next("you")).you;
    expect(you.score).toBeGreaterThan(0);

    // The owner's Redis link goes (as when its process dies): no renewal, no more forwarded messages.
    await links[links.length - 1].close();
    h.ws.terminate();
    // B notices the lease is gone and lets its sockets of the game go, so they rejoin.
    expect((await p.waitClosed(8000)).code).toBe(1012);
    const back = new Client(b.port, { forwardedFor: "10.2.0.1" });
    expect(await back.ask({ t: "rejoin", pin: game.pin, token }, "welcome")).toMatchObject({ you: { nickname: "Eva", score: you.score, streak: 1 }, game: { phase: "reveal", q: 0 } });
    expect(b.hub.hostOf(game.gameId)).toBeDefined();
    const h2 = new Client(b.port, { cookie: `session=${instructor.id}`, origin: LIVE_ORIGIN });
    await h2.ask({ t: "host", gameId: game.gameId }, "welcome");
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "leaderboard");
    await h2.ask({ t: "next" }, "state", (m) => m.game.phase === "answering" && m.game.q === 1);
    await back.ask({ t: "answer", q: 1, answer: { type: "single", choice: 1 } }, "ack");
    expect((await back.next("you", (m) => m.you.last?.q === 1)).you.streak).toBe(2);
    for (const x of [back, h2]) await x.close();
    await c.stop();
  }, 30_000);
});
