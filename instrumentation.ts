// Runs once when the server starts: validating the environment here makes a misconfigured
// production server (no BETTER_AUTH_SECRET, a partial S3 setup) stop at start-up with the
// message from lib/env.ts, instead of starting and answering every request with a 500.
// (`next start` only logs an error thrown here and keeps serving, hence the exit.)
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    await import("@/lib/env");
  } catch (e) {
    console.error(`Cuaderno cannot start: ${(e as Error).message}`);
    process.exit(1);
  }
}
