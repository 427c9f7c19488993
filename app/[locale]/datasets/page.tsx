import { getTranslations, setRequestLocale } from "next-intl/server";
import { listDatasets, type CatalogEntry } from "@/lib/datasets";
import { isLocale, type Locale } from "@/lib/i18n/routing";

export default async function DatasetsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  const locale: Locale = isLocale(raw) ? raw : "es";
  setRequestLocale(locale);
  const t = await getTranslations("datasets");
  return (
    <div className="flex flex-col gap-6">
      <header>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="mt-1 text-stone-600">{t("intro")}</p>
      </header>
      {listDatasets().map((d) => (
        <DatasetCard key={d.name} dataset={d} locale={locale} />
      ))}
    </div>
  );
}

function formatBytes(n: number) {
  return n > 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${Math.round(n / 1e3)} kB`;
}

async function DatasetCard({ dataset: d, locale }: { dataset: CatalogEntry; locale: Locale }) {
  const t = await getTranslations("datasets");
  const total = d.balance ? Object.values(d.balance).reduce((a, b) => a + b, 0) : 0;
  return (
    <section id={d.name} className="rounded-lg border border-stone-200 bg-white p-5 shadow-sm" data-testid="dataset">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 className="text-lg font-semibold">{d.title[locale]}</h2>
        <code className="text-sm text-stone-500">{d.name}</code>
        <span className={`rounded px-2 py-0.5 text-xs ${d.origin.kind === "real" ? "bg-green-100 text-green-800" : "bg-amber-100 text-amber-800"}`}>
          {d.origin.kind === "real" ? t("real") : t("generated")}
        </span>
        <span className="text-sm text-stone-500">
          {d.kind === "images" && d.image
            ? t("images", { count: d.rows, height: d.image.height, width: d.image.width })
            : t("rows", { count: d.rows })}
          {" · "}
          {t("size", { size: formatBytes(d.files.reduce((a, f) => a + f.bytes, 0)) })}
        </span>
      </div>
      <p className="mt-2 text-stone-700">{d.description[locale]}</p>
      <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="font-medium">{t("origin")}</dt>
        <dd>
          {d.origin.notes?.[locale]}
          {d.origin.script && <div className="text-stone-500">{t("generator", { script: d.origin.script, seed: String(d.origin.seed ?? "—") })}</div>}
          {d.origin.source && <div className="text-stone-500">{d.origin.source}</div>}
        </dd>
        <dt className="font-medium">{t("license")}</dt>
        <dd>{d.license.name}{d.license.notes ? ` — ${d.license.notes}` : ""}</dd>
        <dt className="font-medium">{t("load")}</dt>
        <dd><code>{`await data.load("${d.name}")`}</code></dd>
      </dl>
      {d.balance && d.target && (
        <div className="mt-3">
          <h3 className="text-sm font-medium">{t("balance", { target: d.target })}</h3>
          <ul className="mt-1 flex flex-wrap gap-2 text-sm" data-testid="dataset-balance">
            {Object.entries(d.balance).map(([cls, n]) => (
              <li key={cls} className="rounded bg-stone-100 px-2 py-0.5">
                {cls}: {n.toLocaleString(locale)} ({((100 * n) / total).toFixed(1)}%)
              </li>
            ))}
          </ul>
        </div>
      )}
      {!d.balance && d.target && <p className="mt-3 text-sm">{t("target", { target: d.target })}</p>}
      {d.columns.length > 0 && (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm font-medium">{t("columns")} ({d.columns.length})</summary>
          <table className="mt-2 w-full text-left text-sm">
            <thead>
              <tr className="border-b border-stone-200 text-stone-500">
                <th className="py-1 pr-3">{t("column")}</th>
                <th className="py-1 pr-3">{t("type")}</th>
                <th className="py-1">{t("description")}</th>
              </tr>
            </thead>
            <tbody>
              {d.columns.map((c) => (
                <tr key={c.name} className="border-b border-stone-100">
                  <td className="py-1 pr-3 font-mono">{c.name}</td>
                  <td className="py-1 pr-3">{c.type}</td>
                  <td className="py-1">{c.description[locale]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
