// `npm start`: prepares the embedded defaults and serves Cuaderno.
//   1. a session secret under data/ (generated once), 2. migrations, 3. demo data,
//   4. self-hosted notebook assets, 5. a production build when sources changed, 6. the server
//   (scripts/server.mjs: Next behind a lean layer for the machine-to-machine routes).
import { prepareDatabase, ensureAuthSecret } from "./prepare-db.mjs";
import { buildIfStale } from "./build-if-stale.mjs";
import { startServer } from "./server.mjs";

const port = process.env.PORT || "3000";
process.env.CUADERNO_URL ||= `http://localhost:${port}`;
process.env.BETTER_AUTH_SECRET ||= ensureAuthSecret();
process.env.NEXT_TELEMETRY_DISABLED = "1";

const { joinCode, accounts } = await prepareDatabase();
await buildIfStale();
await startServer({ port: Number(port) });

console.log(`\nCuaderno is running at ${process.env.CUADERNO_URL}\n`);
console.log("Demo accounts (email / password):");
for (const a of accounts) console.log(`  ${a.role.padEnd(10)} ${a.email} / ${a.password}`);
console.log(`  demo class join code: ${joinCode}\n`);
