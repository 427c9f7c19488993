// Applies committed migrations to DATABASE_URL (default: the embedded SQLite file).
import { applyMigrations, providerOf } from "./migrations.mjs";
import { databaseUrl } from "./runtime-env.mjs";

const url = databaseUrl();
const applied = await applyMigrations(url);
console.log(
  applied.length
    ? `Applied ${applied.length} migration(s) to ${providerOf(url)}: ${applied.join(", ")}`
    : `Database (${providerOf(url)}) is up to date`,
);
