// A live game's settings (issue 14 points 2 and 4): scoring rules, podium places, the time a
// question shows before its answers open, how many players the leaderboard lists. Pure.
import { z } from "zod";
import { scoringSettingsSchema } from "./scoring";

export const GAME_LIMITS = {
  maxPlayers: 5000,
  maxPodiumPlaces: 20,
  maxIntroMs: 10_000,
  maxLeaderboard: 20,
} as const;

export const gameSettingsSchema = z.object({
  scoring: scoringSettingsSchema.default(scoringSettingsSchema.parse({})),
  /** Places on the final podium (Kahoot: 3). */
  podiumPlaces: z.number().int().min(1).max(GAME_LIMITS.maxPodiumPlaces).default(3),
  /** How long a question shows alone before its answers open, ms. */
  introMs: z.number().int().min(0).max(GAME_LIMITS.maxIntroMs).default(3000),
  /** Players listed on the leaderboard between questions. */
  leaderboardSize: z.number().int().min(1).max(GAME_LIMITS.maxLeaderboard).default(5),
  maxPlayers: z.number().int().min(1).max(GAME_LIMITS.maxPlayers).default(2500),
  /** New players may join after the start (with 0 points); off: only in the lobby ("game_started"). */
  lateJoin: z.boolean().default(true),
});
export type GameSettings = z.infer<typeof gameSettingsSchema>;
export type GameSettingsInput = z.input<typeof gameSettingsSchema>;
export const DEFAULT_GAME_SETTINGS: GameSettings = gameSettingsSchema.parse({});
