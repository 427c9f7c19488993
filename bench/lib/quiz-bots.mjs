// Bot players for bench/quiz.bench.ts, run in a worker thread (so the bots of one thread do not
// queue behind the main thread's host and bookkeeping): each bot is a real WebSocket client of
// /live/ws speaking the live protocol (lib/live/protocol.ts): join with the PIN, answer each
// question after a random think time, and — for the chosen few — drop the connection during a
// question and rejoin with the token. Times are absolute (performance.timeOrigin + now()), so the
// main thread can compare them with when the host asked for the question.
import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";

const { url, pin, first, count, thinkMs, reconnectShare, seed } = workerData;
const now = () => performance.timeOrigin + performance.now();

let s = seed >>> 0;
const rand = () => {
  s = (s + 0x6d2b79f5) >>> 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const stats = {
  joined: 0,
  joinErrors: [],
  /** q → absolute receive times of the question */
  received: {},
  ackMs: [],
  acks: 0,
  answerErrors: {},
  reconnects: 0,
  reconnectKeptScore: 0,
  reconnectLostScore: [],
  reconnectErrors: [],
  lastScores: {},
};

class Bot {
  constructor(i) {
    this.i = i;
    this.nickname = `bot${i}`;
    this.ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    this.token = null;
    this.score = 0;
    this.answeredQ = -1;
    this.pending = null;
  }

  connect(first) {
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { headers: { "x-forwarded-for": this.ip } });
      this.ws = ws;
      let welcomed = false;
      ws.on("open", () => ws.send(JSON.stringify(first)));
      ws.on("message", (data) => {
        const m = JSON.parse(String(data));
        if (!welcomed) {
          welcomed = true;
          resolve(m);
        }
        this.onMessage(m);
      });
      ws.on("error", (e) => {
        if (!welcomed) {
          welcomed = true;
          resolve({ t: "error", code: "socket", message: String(e) });
        }
      });
    });
  }

  async join() {
    const w = await this.connect({ t: "join", pin, nickname: this.nickname });
    if (w.t !== "welcome") return stats.joinErrors.push(w.code ?? w.t);
    this.token = w.token;
    stats.joined++;
  }

  onMessage(m) {
    if (m.t === "state" && m.game.phase === "answering") this.onQuestion(m.game);
    else if (m.t === "you") {
      this.score = m.you.score;
      stats.lastScores[this.nickname] = m.you.score;
    } else if (m.t === "ack") {
      if (this.pending && this.pending.q === m.q) {
        stats.ackMs.push(now() - this.pending.at);
        stats.acks++;
        this.answeredQ = m.q;
        this.pending = null;
      }
    } else if (m.t === "error" && m.q !== undefined) {
      stats.answerErrors[m.code] = (stats.answerErrors[m.code] ?? 0) + 1;
      if (this.pending && this.pending.q === m.q) this.pending = null;
    }
  }

  onQuestion(game) {
    const q = game.q;
    if (this.seenQ === q) return;
    this.seenQ = q;
    (stats.received[q] ??= []).push(now());
    const n = game.question.options ? game.question.options.length : 2;
    const answer = game.question.type === "truefalse" ? { type: "truefalse", value: rand() < 0.5 } : { type: "single", choice: Math.floor(rand() * n) };
    const think = 100 + rand() * thinkMs;
    if (rand() < reconnectShare) {
      // Drop during the question, come back with the token, then answer.
      setTimeout(() => void this.reconnect(q, answer), rand() * think);
      return;
    }
    setTimeout(() => this.answer(q, answer), think);
  }

  answer(q, answer) {
    if (this.answeredQ >= q || this.ws.readyState !== WebSocket.OPEN) return;
    this.pending = { q, at: now() };
    this.ws.send(JSON.stringify({ t: "answer", q, answer }));
  }

  async reconnect(q, answer) {
    stats.reconnects++;
    const before = this.score;
    this.ws.removeAllListeners("message");
    this.ws.terminate();
    const w = await this.connect({ t: "rejoin", pin, token: this.token });
    if (w.t !== "welcome") return stats.reconnectErrors.push(w.code ?? w.t);
    if (w.you.score === before) stats.reconnectKeptScore++;
    else stats.reconnectLostScore.push({ nickname: this.nickname, before, after: w.you.score });
    this.seenQ = q;
    if (w.you.answeredQ !== q) setTimeout(() => this.answer(q, answer), 50 + rand() * 300);
  }
}

const bots = Array.from({ length: count }, (_, k) => new Bot(first + k));

parentPort.on("message", async (msg) => {
  if (msg.cmd === "join") {
    // A few at a time, as a class arriving (and not one SYN flood).
    const batch = 50;
    for (let k = 0; k < bots.length; k += batch) await Promise.all(bots.slice(k, k + batch).map((b) => b.join()));
    parentPort.postMessage({ kind: "joined", joined: stats.joined, errors: stats.joinErrors.slice(0, 5) });
  } else if (msg.cmd === "report") {
    parentPort.postMessage({ kind: "report", stats });
  } else if (msg.cmd === "close") {
    for (const b of bots) b.ws?.terminate();
    parentPort.postMessage({ kind: "closed" });
  }
});
