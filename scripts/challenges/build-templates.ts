// Writes the course's one-click model challenges: content/challenges/<id>/{challenge.json,hidden.csv}.
// The hidden rows come from the same generators as the public datasets, with other seeds, so no
// hidden row is in what students download. Deterministic: tests/unit/challenges/templates.test.ts
// rebuilds them in memory and requires the committed bytes.
// Run: npx tsx scripts/challenges/build-templates.ts

import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatCsv, parseCsv } from "../../lib/datasets/csv";
import type { Cell } from "../../lib/datasets/types";
import type { ChallengeTemplate } from "../../lib/challenges/template";
import { countBy } from "../datasets/common";
import { FRAUD_COLUMNS, generateFraud } from "../datasets/fraud";
import { generateMagnetSignals, MAGNET_COLUMNS } from "../datasets/magnet-signals";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CHALLENGES_DIR = path.join(ROOT, "content", "challenges");

/** Seeds of the hidden rows: different from the public datasets' (20240101, 3130112). */
export const FRAUD_HIDDEN_SEED = 70_250_707;
export const FRAUD_HIDDEN_ROWS = 4_000;
export const MAGNET_HIDDEN_SEED = 8_112_031;
/** Hidden signal ids start above the public ones (1…3242) so the two can never be confused. */
export const MAGNET_ID_OFFSET = 100_000;

export interface BuiltTemplate {
  template: ChallengeTemplate;
  hiddenCsv: string;
}

function tableOf(bytes: Uint8Array): { columns: string[]; records: Cell[][] } {
  const parsed = parseCsv(new TextDecoder().decode(bytes), { infer: false });
  return { columns: parsed.columns, records: parsed.rows.map((r) => parsed.columns.map((c) => r[c])) };
}

export function buildFraudTemplate(): BuiltTemplate {
  const generated = generateFraud(FRAUD_HIDDEN_SEED);
  const { columns, records } = tableOf(generated.files[0].bytes);
  if (columns.join() !== FRAUD_COLUMNS.join()) throw new Error("fraud generator columns changed");
  // The generator shuffles its rows, so the first N are a random sample at the dataset's fraud rate.
  const rows = records.slice(0, FRAUD_HIDDEN_ROWS).map((r, i) => [i + 1, ...r]);
  const label = columns.indexOf("is_fraud") + 1;
  const template: ChallengeTemplate = {
    id: "fraud-pr-auc",
    title: { es: "Detección de fraude (PR-AUC)", en: "Fraud detection (PR-AUC)" },
    description: {
      es:
        "Entrená un modelo con el dataset `fraud` y predecí la probabilidad de fraude de cada transacción del conjunto de " +
        "prueba (`id,prediction`, un puntaje por fila: cuanto más alto, más sospechosa). Se evalúa con PR-AUC (precisión " +
        "promedio) de `is_fraud`: con 1% de fraudes, la exactitud no sirve. Las transacciones de prueba son nuevas, " +
        "generadas igual que las de entrenamiento.",
      en:
        "Train a model on the `fraud` dataset and predict the fraud probability of each transaction in the test set " +
        "(`id,prediction`, one score per row: higher means more suspicious). Scored by PR-AUC (average precision) of " +
        "`is_fraud`: with 1% fraud, accuracy is useless. The test transactions are new ones, generated like the training data.",
    },
    trainDataset: "fraud",
    targetColumn: "is_fraud",
    idColumn: "id",
    metric: "average-precision",
    positiveLabel: "1",
    hiddenRows: rows.length,
    balance: countBy(rows.map((r) => r[label])),
    origin: { script: "scripts/challenges/build-templates.ts", generator: "scripts/datasets/fraud.ts", seed: FRAUD_HIDDEN_SEED },
  };
  return { template, hiddenCsv: formatCsv(["id", ...columns], rows) };
}

export function buildMagnetTemplate(): BuiltTemplate {
  const generated = generateMagnetSignals(MAGNET_HIDDEN_SEED);
  const { columns, records } = tableOf(generated.files[0].bytes);
  if (columns.join() !== MAGNET_COLUMNS.join()) throw new Error("magnet generator columns changed");
  const rows = records.map((r) => [MAGNET_ID_OFFSET + Number(r[0]), ...r.slice(1)]);
  const template: ChallengeTemplate = {
    id: "magnet-faulty-f1",
    title: { es: "Imanes con falla (F1)", en: "Faulty magnets (F1)" },
    description: {
      es:
        "Entrená un clasificador con `magnet-signals` y decidí, para cada señal de prueba, si tiene falla (1) o está sana " +
        "(0). Se evalúa con el F1 de la clase con falla: un modelo que siempre dice «sana» saca 0. Elegí bien el umbral.",
      en:
        "Train a classifier on `magnet-signals` and decide, for each test signal, whether it is faulty (1) or healthy (0). " +
        "Scored by the F1 of the faulty class: a model that always says \"healthy\" scores 0. Choose your threshold well.",
    },
    trainDataset: "magnet-signals",
    targetColumn: "label",
    idColumn: "id",
    metric: "f1",
    positiveLabel: "1",
    hiddenRows: rows.length,
    balance: countBy(rows.map((r) => r[1])),
    origin: { script: "scripts/challenges/build-templates.ts", generator: "scripts/datasets/magnet-signals.ts", seed: MAGNET_HIDDEN_SEED },
  };
  return { template, hiddenCsv: formatCsv(columns, rows) };
}

export function buildTemplates(): BuiltTemplate[] {
  return [buildFraudTemplate(), buildMagnetTemplate()];
}

export function templateJson(template: ChallengeTemplate): string {
  return JSON.stringify(template, null, 2) + "\n";
}

async function main(): Promise<void> {
  for (const { template, hiddenCsv } of buildTemplates()) {
    const dir = path.join(CHALLENGES_DIR, template.id);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "challenge.json"), templateJson(template));
    await writeFile(path.join(dir, "hidden.csv"), hiddenCsv);
    console.log(`${template.id}: ${template.hiddenRows} hidden rows, ${(Buffer.byteLength(hiddenCsv) / 1024).toFixed(1)} KiB, balance ${JSON.stringify(template.balance)}`);
  }
}

const invoked = process.argv[1] ? path.resolve(process.argv[1]) : "";
if (invoked === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
