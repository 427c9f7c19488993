// SHA-256 of dataset files via Web Crypto (browser, worker and Node ≥ 20), so experiment
// tracking can record exactly which bytes a run trained on.

function toHex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let hex = "";
  for (let i = 0; i < bytes.length; i++) hex += bytes[i].toString(16).padStart(2, "0");
  return hex;
}

/** Hex SHA-256 of raw bytes (or of a string's UTF-8 encoding). */
export async function sha256Hex(data: ArrayBuffer | Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  // Copy into a plain ArrayBuffer: subtle.digest rejects views over SharedArrayBuffer.
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return toHex(await crypto.subtle.digest("SHA-256", copy.buffer));
}

/**
 * Hash identifying a whole dataset: its single file's hash, or for several files the hash of the
 * sorted "file sha256" lines (so it changes when any file changes).
 */
export async function datasetHashFromFiles(files: readonly { file: string; sha256: string }[]): Promise<string> {
  if (files.length === 1) return files[0].sha256;
  const lines = files
    .map((f) => `${f.file} ${f.sha256}`)
    .sort()
    .join("\n");
  return sha256Hex(lines);
}
