// `npm start`: prepares the embedded defaults and serves Cuaderno.
//   1. a session secret under data/ (generated once), 2. migrations, 3. demo data,
//   4. self-hosted notebook assets, 5. a production build when sources changed, 6. next start.
import { spawn } from "node:child_process";

import { join } from "node:path";
import { prepareDatabase, ensureAuthSecret } from "./prepare-db.mjs";
import { root } from "./prisma-schemas.mjs";
import { buildIfStale } from "./build-if-stale.mjs";

const port = process.env.PORT || "3000";
process.env.CUADERNO_URL ||= `http://localhost:${port}`;
process.env.BETTER_AUTH_SECRET ||= ensureAuthSecret();
process.env.NEXT_TELEMETRY_DISABLED = "1";

const { joinCode, accounts } = await prepareDatabase();
await buildIfStale();

const nextBin = join(root, "node_modules", "next", "dist", "bin", "next");
const server = spawn(process.execPath, [nextBin, "start", "-p", port], { stdio: ["ignore", "pipe", "inherit"], env: process.env });
let announced = false;
server.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  if (!announced && /Ready|started server|Local:/i.test(String(chunk))) {
    announced = true;
    console.log(`\nCuaderno is running at ${process.env.CUADERNO_URL}\n`);
    console.log("Demo accounts (email / password):");
    for (const a of accounts) console.log(`  ${a.role.padEnd(10)} ${a.email} / ${a.password}`);
    console.log(`  demo class join code: ${joinCode}\n`);
  }
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

