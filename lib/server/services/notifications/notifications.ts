// A user's notifications (issue 13 point 5: a drift alert reaches the model's owner). Written by
// the server when something happens (`notify`), listed and marked read by the user. A subject
// names what a notification is about: while one of a subject is unread, the same subject adds
// none (the same alert seen by two server instances, or raised again before the owner looked).
// Bounded: a user keeps their newest NOTIFICATION_LIMITS.kept.
import type { Db } from "@/lib/server/db";
import { DomainError } from "@/lib/server/errors";
import { nowOf, type SignedInContext } from "@/lib/server/services/context";

export const NOTIFICATION_KINDS = ["driftAlert"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_LIMITS = { kept: 200, list: 50, markIds: 100, subjectLength: 600, dataBytes: 4000, hrefLength: 1200 } as const;

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  subject: string;
  /** The translated message's parameters (numbers and strings). */
  data: Record<string, string | number | null>;
  /** A page of the app without the locale, e.g. /models/fraud-detector. */
  href?: string | null;
  now?: Date;
}

export interface NotificationView {
  id: number;
  kind: string;
  data: Record<string, unknown>;
  href: string | null;
  createdAt: number;
  read: boolean;
}

/** Adds a notification unless one of the same subject is still unread; returns its id, or null when it added none. */
export async function notify(db: Db, n: NewNotification): Promise<number | null> {
  const subject = n.subject.slice(0, NOTIFICATION_LIMITS.subjectLength);
  const data = JSON.stringify(n.data);
  if (data.length > NOTIFICATION_LIMITS.dataBytes) throw new Error("notification data too large");
  const href = n.href && n.href.startsWith("/") && !n.href.startsWith("//") ? n.href.slice(0, NOTIFICATION_LIMITS.hrefLength) : null;
  const open = await db.notification.findFirst({ where: { userId: n.userId, subject, readAt: null }, select: { id: true } });
  if (open) return null;
  const row = await db.notification.create({
    data: { userId: n.userId, kind: n.kind, subject, data, href, createdAt: BigInt((n.now ?? new Date()).getTime()) },
    select: { id: true },
  });
  // The newest `kept` stay; older ones go (rarely more than one).
  const old = await db.notification.findMany({ where: { userId: n.userId }, orderBy: { id: "desc" }, skip: NOTIFICATION_LIMITS.kept, take: 100, select: { id: true } });
  if (old.length) await db.notification.deleteMany({ where: { id: { in: old.map((o) => o.id) } } });
  return row.id;
}

const parseData = (text: string): Record<string, unknown> => {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** The caller's newest notifications and how many are unread. */
export async function listNotifications(ctx: SignedInContext, limit: number = NOTIFICATION_LIMITS.list): Promise<{ items: NotificationView[]; unread: number }> {
  const take = Math.min(Math.max(1, Math.floor(limit)), NOTIFICATION_LIMITS.list);
  const [rows, unread] = await Promise.all([
    ctx.db.notification.findMany({ where: { userId: ctx.user.id }, orderBy: { id: "desc" }, take }),
    ctx.db.notification.count({ where: { userId: ctx.user.id, readAt: null } }),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, data: parseData(r.data), href: r.href, createdAt: Number(r.createdAt), read: r.readAt !== null })),
    unread,
  };
}

/** Marks the caller's notifications read: the ids given (others' ids change nothing), or all. Returns how many changed. */
export async function markNotificationsRead(ctx: SignedInContext, input: { ids?: number[]; all?: boolean }): Promise<{ marked: number }> {
  if (!input.all && !(input.ids && input.ids.length)) throw new DomainError("invalidInput", "Name the notifications to mark read, or all", { key: "models.notifications.errors.nothingToMark" });
  if (input.ids && input.ids.length > NOTIFICATION_LIMITS.markIds) throw new DomainError("invalidInput", `At most ${NOTIFICATION_LIMITS.markIds} ids at once`);
  const now = BigInt(nowOf(ctx).getTime());
  const { count } = await ctx.db.notification.updateMany({
    where: { userId: ctx.user.id, readAt: null, ...(input.all ? {} : { id: { in: input.ids! } }) },
    data: { readAt: now },
  });
  return { marked: count };
}
