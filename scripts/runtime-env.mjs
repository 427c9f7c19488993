// Defaults shared by the start/migrate scripts; the app itself reads env through lib/env.ts.
export const DEFAULT_DATABASE_URL = "file:./data/cuaderno.db";
export function databaseUrl() {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}
