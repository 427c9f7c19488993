// Generates content/datasets/sales-daily.csv: three years of daily sales of one store, in time
// order, for the temporal-leakage and time-split lessons. Sales follow a growing trend, weekly and
// yearly seasonality, promotion campaigns and holidays, and drop when a competitor opens on
// 2024-07-01, so a random split looks better than a split by date. Lag features use only the past
// except `sales_rolling_mean_7_centered`, which deliberately peeks three days ahead.
// Run: npx tsx scripts/datasets/sales-daily.ts

import { formatCsv, roundTo } from "../../lib/datasets/csv";
import { createRng } from "../../lib/datasets/prng";
import type { Cell } from "../../lib/datasets/types";
import { CSV_TYPE, runIfMain, utf8, type GeneratedDataset } from "./common";

export const SALES_SEED = 365_3;
export const SALES_START = "2022-01-01";
export const SALES_END = "2024-12-31";
export const COMPETITOR_OPENS = "2024-07-01";

/** Monday … Sunday. */
const WEEKLY = [0.88, 0.9, 0.94, 1.0, 1.12, 1.28, 0.98];
/** Month-day of the public holidays the store observes (reduced opening hours). */
const HOLIDAYS = new Set(["01-01", "03-24", "05-01", "05-25", "07-09", "12-08", "12-25"]);

export const SALES_COLUMNS = [
  "date",
  "day_of_week",
  "month",
  "is_holiday",
  "promo",
  "temperature_c",
  "sales",
  "sales_lag_1",
  "sales_lag_7",
  "sales_rolling_mean_7",
  "sales_rolling_mean_7_centered",
];

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function generateSalesDaily(seed = SALES_SEED): GeneratedDataset {
  const rng = createRng(seed);
  const start = Date.parse(`${SALES_START}T00:00:00Z`);
  const end = Date.parse(`${SALES_END}T00:00:00Z`);
  const competitor = Date.parse(`${COMPETITOR_OPENS}T00:00:00Z`);
  const days = Math.round((end - start) / DAY_MS) + 1;

  // Promotion campaigns of 3–7 days, about one every four weeks.
  const promo = new Array<number>(days).fill(0);
  for (let d = rng.int(5, 20); d < days; d += rng.int(18, 40)) {
    const length = rng.int(3, 7);
    for (let k = d; k < Math.min(days, d + length); k++) promo[k] = 1;
  }

  const dates: string[] = [];
  const dow: number[] = [];
  const month: number[] = [];
  const holiday: number[] = [];
  const temperature: number[] = [];
  const sales: number[] = [];
  for (let d = 0; d < days; d++) {
    const ms = start + d * DAY_MS;
    const date = new Date(ms);
    const iso = isoDate(ms);
    const dayOfYear = Math.floor((ms - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
    const weekday = (date.getUTCDay() + 6) % 7;
    const isHoliday = HOLIDAYS.has(iso.slice(5)) ? 1 : 0;
    // Southern-hemisphere climate: warm in January, cold in July.
    const temp = 17 + 8 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365.25) + rng.normal(0, 2.5);

    const trend = 180 + 0.06 * d;
    const yearly =
      1 +
      0.07 * Math.cos((2 * Math.PI * (dayOfYear - 350)) / 365.25) +
      0.22 * Math.exp(-((dayOfYear - 357) ** 2) / (2 * 7 ** 2));
    const weather = 1 - 0.006 * Math.abs(temp - 20);
    let level = trend * yearly * WEEKLY[weekday] * weather;
    if (promo[d]) level *= 1.3;
    if (isHoliday) level *= 0.35;
    if (ms >= competitor) level *= 0.88;
    sales.push(Math.max(0, Math.round(level * rng.logNormal(1, 0.07))));

    dates.push(iso);
    dow.push(weekday);
    month.push(date.getUTCMonth() + 1);
    holiday.push(isHoliday);
    temperature.push(roundTo(temp, 1));
  }

  const mean = (from: number, to: number): number | null => {
    if (from < 0 || to >= days) return null;
    let s = 0;
    for (let k = from; k <= to; k++) s += sales[k];
    return roundTo(s / (to - from + 1), 1);
  };
  const records: Cell[][] = [];
  for (let d = 0; d < days; d++) {
    records.push([
      dates[d],
      dow[d],
      month[d],
      holiday[d],
      promo[d],
      temperature[d],
      sales[d],
      d >= 1 ? sales[d - 1] : null,
      d >= 7 ? sales[d - 7] : null,
      mean(d - 7, d - 1),
      mean(d - 3, d + 3),
    ]);
  }

  return {
    files: [{ file: "sales-daily.csv", role: "data", contentType: CSV_TYPE, bytes: utf8(formatCsv(SALES_COLUMNS, records)) }],
    entry: {
      name: "sales-daily",
      kind: "table",
      title: { es: "Ventas diarias de una tienda", en: "Daily store sales" },
      description: {
        es:
          "Ventas diarias de una tienda de 2022-01-01 a 2024-12-31, en orden temporal: tendencia creciente, " +
          "estacionalidad semanal y anual, promociones, feriados y una caída desde 2024-07-01 (abre un competidor). " +
          "Los rezagos usan solo el pasado, salvo sales_rolling_mean_7_centered, que filtra el futuro a propósito.",
        en:
          "Daily sales of one store from 2022-01-01 to 2024-12-31, in time order: growing trend, weekly and yearly " +
          "seasonality, promotions, holidays and a drop from 2024-07-01 (a competitor opens). Lags use only the past, " +
          "except sales_rolling_mean_7_centered, which leaks the future on purpose.",
      },
      origin: {
        kind: "generated",
        script: "scripts/datasets/sales-daily.ts",
        seed,
        source: null,
        notes: {
          es: "Sintético; las primeras filas tienen rezagos vacíos (null) porque no hay pasado.",
          en: "Synthetic; the first rows have empty (null) lags because there is no past.",
        },
      },
      license: { name: "CC0-1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/", notes: "Synthetic data written for Cuaderno." },
      rows: records.length,
      columns: [
        { name: "date", type: "date", description: { es: "Fecha (AAAA-MM-DD).", en: "Date (YYYY-MM-DD)." } },
        { name: "day_of_week", type: "integer", description: { es: "Día de la semana, 0 = lunes … 6 = domingo.", en: "Day of week, 0 = Monday … 6 = Sunday." } },
        { name: "month", type: "integer", description: { es: "Mes, 1–12.", en: "Month, 1–12." } },
        { name: "is_holiday", type: "integer", description: { es: "1 si es feriado (horario reducido).", en: "1 on a public holiday (short hours)." } },
        { name: "promo", type: "integer", description: { es: "1 si hay una promoción en curso.", en: "1 while a promotion runs." } },
        { name: "temperature_c", type: "number", description: { es: "Temperatura media del día (°C).", en: "Mean temperature of the day (°C)." } },
        { name: "sales", type: "integer", description: { es: "Unidades vendidas ese día (objetivo).", en: "Units sold that day (target)." } },
        { name: "sales_lag_1", type: "integer", description: { es: "Ventas del día anterior.", en: "Sales the previous day." } },
        { name: "sales_lag_7", type: "integer", description: { es: "Ventas del mismo día de la semana anterior.", en: "Sales on the same weekday a week earlier." } },
        {
          name: "sales_rolling_mean_7",
          type: "number",
          description: { es: "Media de ventas de los 7 días anteriores (sin incluir el día).", en: "Mean sales of the previous 7 days (excluding the day)." },
        },
        {
          name: "sales_rolling_mean_7_centered",
          type: "number",
          description: {
            es: "FUGA DE DATOS: media de los días t−3 … t+3, incluye el propio día y el futuro. No está disponible al predecir.",
            en: "DATA LEAK: mean of days t−3 … t+3, including the day itself and the future. Not available at prediction time.",
          },
        },
      ],
      target: "sales",
      balance: null,
      image: null,
    },
  };
}

runIfMain(import.meta.url, () => generateSalesDaily());
