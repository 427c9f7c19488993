// Generates content/datasets/fraud.csv: synthetic card transactions with ~1% fraud. Fraud shifts
// the feature distributions (night hours, far from home, unusual amounts, online, no chip/PIN,
// young cards) but some frauds imitate normal spending and some honest transactions look
// odd (travel, big purchases), so a model learns a lot yet stays far from perfect.
// Run: npx tsx scripts/datasets/fraud.ts

import { formatCsv, roundTo } from "../../lib/datasets/csv";
import { createRng, type Rng } from "../../lib/datasets/prng";
import type { Cell } from "../../lib/datasets/types";
import { countBy, CSV_TYPE, runIfMain, utf8, type GeneratedDataset } from "./common";

export const FRAUD_SEED = 20_240_101;
export const FRAUD_ROWS = 20_000;
/** Exact number of frauds: 1.00% of the rows. */
export const FRAUD_POSITIVES = 200;

const CATEGORIES = [
  "grocery",
  "restaurant",
  "gas",
  "online_retail",
  "clothing",
  "entertainment",
  "health",
  "home",
  "travel",
  "electronics",
  "jewelry",
] as const;
type Category = (typeof CATEGORIES)[number];

const LEGIT_CATEGORY_WEIGHTS = [22, 16, 11, 14, 8, 7, 6, 5, 5, 4, 2];
const FRAUD_CATEGORY_WEIGHTS = [7, 5, 9, 24, 6, 5, 3, 4, 11, 16, 10];
/** Typical amount relative to the card holder's median spend. */
const CATEGORY_SCALE: Record<Category, number> = {
  grocery: 1.0,
  restaurant: 0.7,
  gas: 0.9,
  online_retail: 1.1,
  clothing: 1.4,
  entertainment: 0.8,
  health: 1.2,
  home: 1.8,
  travel: 4.0,
  electronics: 3.0,
  jewelry: 3.5,
};
const ONLINE_SHARE: Record<Category, number> = {
  grocery: 0.04,
  restaurant: 0.08,
  gas: 0,
  online_retail: 1,
  clothing: 0.25,
  entertainment: 0.35,
  health: 0.1,
  home: 0.2,
  travel: 0.6,
  electronics: 0.35,
  jewelry: 0.2,
};
/** Relative transaction volume by hour of day for honest spending (peaks at lunch and evening). */
const LEGIT_HOURS = [
  0.6, 0.35, 0.25, 0.2, 0.2, 0.35, 1, 2.2, 3.5, 4.2, 4.8, 5.6, 6.4, 5.8, 5.2, 5, 5.4, 6, 6.4, 5.8, 4.6, 3.4, 2.2, 1.2,
];
/** Fraud is flatter over the day with extra weight at night. */
const FRAUD_HOURS = [
  3.5, 4, 4.2, 4, 3.4, 2.6, 2, 2.2, 2.6, 3, 3.2, 3.4, 3.6, 3.4, 3.2, 3.2, 3.4, 3.6, 3.8, 4, 4, 4, 3.8, 3.6,
];

export const FRAUD_COLUMNS = [
  "amount",
  "hour",
  "merchant_category",
  "distance_from_home_km",
  "distance_from_last_km",
  "ratio_to_median_amount",
  "online",
  "used_chip",
  "used_pin",
  "repeat_retailer",
  "card_age_days",
  "is_fraud",
] as const;

interface Transaction {
  amount: number;
  hour: number;
  category: Category;
  distanceHome: number;
  distanceLast: number;
  ratio: number;
  online: boolean;
  chip: boolean;
  pin: boolean;
  repeat: boolean;
  cardAge: number;
  fraud: boolean;
}

function holderMedian(rng: Rng): number {
  return rng.logNormal(45, 0.45);
}

function legit(rng: Rng): Transaction {
  const category = rng.weighted(CATEGORIES, LEGIT_CATEGORY_WEIGHTS);
  const median = holderMedian(rng);
  // A small share of honest spending is a splurge: the main source of false alarms.
  const splurge = rng.bernoulli(0.02) ? rng.logNormal(4, 0.5) : 1;
  const amount = Math.max(0.5, median * CATEGORY_SCALE[category] * splurge * rng.logNormal(1, 0.55));
  const online = rng.bernoulli(ONLINE_SHARE[category]);
  // Online bookings happen from home; only in-person travel spending is far away.
  const travelling = (category === "travel" && !online) || rng.bernoulli(0.02);
  const distanceHome = travelling ? rng.logNormal(250, 1.1) : rng.logNormal(6, 0.9);
  const distanceLast = travelling && rng.bernoulli(0.4) ? rng.logNormal(120, 1.2) : rng.logNormal(3, 1.1);
  const chip = !online && rng.bernoulli(0.9);
  const pin = chip && rng.bernoulli(0.45);
  return {
    amount,
    hour: rng.weightedIndex(LEGIT_HOURS),
    category,
    distanceHome,
    distanceLast,
    ratio: amount / median,
    online,
    chip,
    pin,
    repeat: rng.bernoulli(online ? 0.75 : 0.85),
    cardAge: Math.min(5400, 30 + Math.floor(rng.exponential(1100))),
    fraud: false,
  };
}

function fraud(rng: Rng): Transaction {
  // About one fraud in seven mimics the holder's normal behaviour in most respects.
  if (rng.bernoulli(0.15)) {
    const t = legit(rng);
    t.fraud = true;
    if (rng.bernoulli(0.5)) t.repeat = false;
    if (rng.bernoulli(0.3)) t.hour = rng.weightedIndex(FRAUD_HOURS);
    return t;
  }
  const category = rng.weighted(CATEGORIES, FRAUD_CATEGORY_WEIGHTS);
  const median = holderMedian(rng);
  // Card testing: tiny probe amounts; otherwise a cash-out well above the usual spend.
  const probe = rng.bernoulli(0.15);
  const amount = probe
    ? rng.uniform(0.5, 6)
    : Math.max(0.5, median * CATEGORY_SCALE[category] * rng.logNormal(4, 0.6));
  const online = rng.bernoulli(Math.min(1, ONLINE_SHARE[category] + 0.5));
  const chip = !online && rng.bernoulli(0.2);
  const pin = chip && rng.bernoulli(0.1);
  return {
    amount,
    hour: rng.weightedIndex(FRAUD_HOURS),
    category,
    distanceHome: rng.bernoulli(0.75) ? rng.logNormal(150, 1.0) : rng.logNormal(8, 1),
    distanceLast: rng.bernoulli(0.7) ? rng.logNormal(100, 1.0) : rng.logNormal(4, 1.1),
    ratio: amount / median,
    online,
    chip,
    pin,
    repeat: rng.bernoulli(0.15),
    cardAge: Math.min(5400, 30 + Math.floor(rng.exponential(rng.bernoulli(0.6) ? 90 : 1000))),
    fraud: true,
  };
}

function toRecord(t: Transaction): Cell[] {
  return [
    roundTo(t.amount, 2),
    t.hour,
    t.category,
    roundTo(t.distanceHome, 1),
    roundTo(t.distanceLast, 1),
    roundTo(t.ratio, 2),
    t.online ? 1 : 0,
    t.chip ? 1 : 0,
    t.pin ? 1 : 0,
    t.repeat ? 1 : 0,
    t.cardAge,
    t.fraud ? 1 : 0,
  ];
}

export function generateFraud(seed = FRAUD_SEED): GeneratedDataset {
  const rng = createRng(seed);
  const transactions: Transaction[] = [];
  for (let i = 0; i < FRAUD_ROWS - FRAUD_POSITIVES; i++) transactions.push(legit(rng));
  for (let i = 0; i < FRAUD_POSITIVES; i++) transactions.push(fraud(rng));
  rng.shuffle(transactions);
  const records = transactions.map(toRecord);
  const label = FRAUD_COLUMNS.indexOf("is_fraud");

  return {
    files: [{ file: "fraud.csv", role: "data", contentType: CSV_TYPE, bytes: utf8(formatCsv(FRAUD_COLUMNS, records)) }],
    entry: {
      name: "fraud",
      kind: "table",
      title: { es: "Transacciones con tarjeta (fraude)", en: "Card transactions (fraud)" },
      description: {
        es:
          "20.000 transacciones con tarjeta sintéticas, 1% fraudulentas. El fraude se concentra de noche, lejos de casa, " +
          "en compras online sin chip ni PIN, con tarjetas nuevas y montos atípicos; uno de cada siete fraudes imita el " +
          "comportamiento normal, así que ningún modelo los separa perfectamente.",
        en:
          "20,000 synthetic card transactions, 1% fraudulent. Fraud concentrates at night, far from home, online without " +
          "chip or PIN, on young cards and with unusual amounts; one fraud in seven imitates normal behaviour, so no model " +
          "separates them perfectly.",
      },
      origin: {
        kind: "generated",
        script: "scripts/datasets/fraud.ts",
        seed,
        source: null,
        notes: {
          es: "Generado con un PRNG con semilla (lib/datasets/prng.ts); 200 fraudes exactos entre 20.000 filas, en orden aleatorio.",
          en: "Generated with a seeded PRNG (lib/datasets/prng.ts); exactly 200 frauds among 20,000 rows, in random order.",
        },
      },
      license: { name: "CC0-1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/", notes: "Synthetic data written for Cuaderno." },
      rows: records.length,
      columns: [
        { name: "amount", type: "number", description: { es: "Monto de la transacción (USD).", en: "Transaction amount (USD)." } },
        { name: "hour", type: "integer", description: { es: "Hora del día, 0–23.", en: "Hour of day, 0–23." } },
        {
          name: "merchant_category",
          type: "string",
          description: { es: "Rubro del comercio.", en: "Merchant category." },
        },
        {
          name: "distance_from_home_km",
          type: "number",
          description: { es: "Distancia al domicilio del titular (km).", en: "Distance from the card holder's home (km)." },
        },
        {
          name: "distance_from_last_km",
          type: "number",
          description: { es: "Distancia a la transacción anterior (km).", en: "Distance from the previous transaction (km)." },
        },
        {
          name: "ratio_to_median_amount",
          type: "number",
          description: {
            es: "Monto dividido por la mediana de gasto del titular.",
            en: "Amount divided by the card holder's median spend.",
          },
        },
        { name: "online", type: "integer", description: { es: "1 si fue una compra online.", en: "1 for an online purchase." } },
        { name: "used_chip", type: "integer", description: { es: "1 si se leyó el chip.", en: "1 if the chip was read." } },
        { name: "used_pin", type: "integer", description: { es: "1 si se ingresó el PIN.", en: "1 if the PIN was entered." } },
        {
          name: "repeat_retailer",
          type: "integer",
          description: { es: "1 si el titular ya compró en ese comercio.", en: "1 if the holder bought there before." },
        },
        {
          name: "card_age_days",
          type: "integer",
          description: { es: "Antigüedad de la tarjeta en días.", en: "Age of the card in days." },
        },
        { name: "is_fraud", type: "integer", description: { es: "Etiqueta: 1 = fraude, 0 = legítima.", en: "Label: 1 = fraud, 0 = legitimate." } },
      ],
      target: "is_fraud",
      balance: countBy(records.map((r) => r[label])),
      image: null,
    },
  };
}

runIfMain(import.meta.url, () => generateFraud());
