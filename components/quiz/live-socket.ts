"use client";
// One WebSocket to the live quiz server (lib/live/protocol.ts) that comes back by itself: after a
// drop it reconnects with growing pauses and sends its first message again (`hello()`: a player's
// rejoin with its token, or the host's host message), so a phone that slept or a reloaded host
// screen carries on. Server times are read against the server's own `now` (clock offset), never
// the device's clock alone.
import { useCallback, useEffect, useRef, useState } from "react";
import { LIVE_WS_PATH, parseServerMessage, type ClientMessage, type ServerMessage } from "@/lib/live/protocol";

export type SocketStatus = "idle" | "connecting" | "open" | "reconnecting" | "closed";

export function liveSocketUrl(): string {
  return `${window.location.protocol === "https:" ? "wss" : "ws"}://${window.location.host}${LIVE_WS_PATH}`;
}

/** Codes after which trying again cannot help. */
const FINAL = new Set(["wrong_pin", "bad_token", "kicked", "not_host", "not_found", "not_signed_in", "game_over"]);

export interface LiveSocket {
  status: SocketStatus;
  /** Server time minus device time (ms), from the last message that carried `now`. */
  offset: number;
  send(m: ClientMessage): boolean;
  /** Opens (or reopens) the connection; `hello` gives the first message each time it connects. */
  connect(hello: () => ClientMessage | null): void;
  close(): void;
}

export function useLiveSocket(onMessage: (m: ServerMessage) => void): LiveSocket {
  const [status, setStatus] = useState<SocketStatus>("idle");
  const [offset, setOffset] = useState(0);
  const ws = useRef<WebSocket | null>(null);
  const hello = useRef<(() => ClientMessage | null) | null>(null);
  const handler = useRef(onMessage);
  const retry = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stopped = useRef(false);
  const final = useRef(false);
  // Reconnect only a connection that was once welcomed: a refused join is not retried.
  const welcomed = useRef(false);
  useEffect(() => {
    handler.current = onMessage;
  }, [onMessage]);

  const open = useCallback(() => {
    const first = hello.current?.();
    if (!first) return;
    setStatus(retry.current > 0 ? "reconnecting" : "connecting");
    const socket = new WebSocket(liveSocketUrl());
    ws.current = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify(first));
    };
    socket.onmessage = (ev) => {
      const m = parseServerMessage(typeof ev.data === "string" ? ev.data : "");
      if (!m) return;
      if (m.t === "welcome") {
        retry.current = 0;
        welcomed.current = true;
        setStatus("open");
      }
      if ("now" in m && typeof m.now === "number") setOffset(m.now - Date.now());
      if (m.t === "state" && "now" in m.game && typeof m.game.now === "number") setOffset(m.game.now - Date.now());
      if (m.t === "error" && FINAL.has(m.code)) final.current = true;
      handler.current(m);
    };
    socket.onclose = () => {
      if (ws.current !== socket) return;
      ws.current = null;
      if (stopped.current || final.current || !welcomed.current) {
        setStatus("closed");
        return;
      }
      // Back again soon: 0.5 s, 1 s, 2 s … up to 5 s.
      const wait = Math.min(5000, 500 * 2 ** retry.current);
      retry.current += 1;
      setStatus("reconnecting");
      timer.current = setTimeout(open, wait);
    };
  }, []);

  const connect = useCallback(
    (h: () => ClientMessage | null) => {
      hello.current = h;
      stopped.current = false;
      final.current = false;
      welcomed.current = false;
      retry.current = 0;
      if (timer.current) clearTimeout(timer.current);
      const old = ws.current;
      ws.current = null;
      old?.close();
      open();
    },
    [open],
  );

  const close = useCallback(() => {
    stopped.current = true;
    if (timer.current) clearTimeout(timer.current);
    ws.current?.close();
    ws.current = null;
    setStatus("closed");
  }, []);

  const send = useCallback((m: ClientMessage) => {
    const s = ws.current;
    if (!s || s.readyState !== WebSocket.OPEN) return false;
    s.send(JSON.stringify(m));
    return true;
  }, []);

  // A phone waking up or a network coming back: reconnect at once instead of waiting.
  useEffect(() => {
    const wake = () => {
      if (document.visibilityState === "visible" && !ws.current && hello.current && !stopped.current && !final.current) {
        if (timer.current) clearTimeout(timer.current);
        open();
      }
    };
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", wake);
    return () => {
      window.removeEventListener("online", wake);
      document.removeEventListener("visibilitychange", wake);
      stopped.current = true;
      if (timer.current) clearTimeout(timer.current);
      ws.current?.close();
    };
  }, [open]);

  return { status, offset, send, connect, close };
}

/**
 * Milliseconds left until a server time, counted on the server's clock; re-renders ~10×/s. Worked
 * out at render time (never a stale 0 or a stale count for one render when `until` changes).
 */
export function useCountdown(until: number | null, offset: number): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (until === null) return;
    const id = setInterval(() => setTick((n) => n + 1), 100);
    return () => clearInterval(id);
  }, [until]);
  return until === null ? 0 : Math.max(0, until - (Date.now() + offset));
}
