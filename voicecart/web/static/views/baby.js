// Baby: today at a glance per child, one-tap logging, the recent timeline, 14 days of feedings, sleep and
// diapers as charts, and how long the diapers and formula at home will last.

import * as api from "../api.js";
import { act, day, empty, h, replace, section, showError, showOk, when, words } from "../ui.js";
import { dailyTotals, lastDays, renderCharts } from "./chart.js";

const CHART_DAYS = 14;
const DAY_MS = 86400000;

const QUICK_LOGS = [
  { label: "Bottle 4 oz", kind: "feeding", data: { feeding_kind: "bottle", amount: 4, unit: "oz" } },
  { label: "Breastfeed", kind: "feeding", data: { feeding_kind: "breast" } },
  { label: "Wet diaper", kind: "diaper", data: { diaper_type: "wet" } },
  { label: "Dirty diaper", kind: "diaper", data: { diaper_type: "dirty" } },
  { label: "Fell asleep", kind: "sleep", data: { action: "start" } },
  { label: "Woke up", kind: "sleep", data: { action: "end" } },
];

function describe(event) {
  const d = event.data || {};
  switch (event.kind) {
    case "feeding":
      if (d.feeding_kind === "bottle") return `Bottle, ${d.amount} ${d.unit} ${words(d.milk_type || "")}`.trim();
      if (d.feeding_kind === "breast") {
        return ["Breastfeed", d.side ? `${d.side} side` : "", d.duration_min ? `${d.duration_min} min` : ""]
          .filter(Boolean).join(", ");
      }
      return d.food ? `Solids: ${d.food}` : "Solids";
    case "diaper": return `${words(d.diaper_type)} diaper`.replace(/^./, (c) => c.toUpperCase());
    case "sleep": return d.action === "start" ? "Fell asleep" : "Woke up";
    case "medicine": return `Medicine: ${d.medicine}${d.dose ? `, ${d.dose}` : ""}`;
    case "growth": return `Growth: ${[d.weight && `${d.weight} ${d.weight_unit}`, d.length && `${d.length} ${d.length_unit}`]
      .filter(Boolean).join(", ")}`;
    case "note": return `Note: ${d.note}`;
    default: return words(event.kind);
  }
}

function summaryView(summary) {
  const diapers = summary.diapers || {};
  const changes = summary.diaper_changes ?? Object.values(diapers).reduce((a, b) => a + b, 0);
  const sleepHours = ((summary.sleep_minutes || 0) / 60).toFixed(1);
  const facts = [
    ["Feedings", `${summary.feedings || 0}${summary.bottle_oz ? ` · ${summary.bottle_oz} oz by bottle` : ""}`],
    ["Diapers", `${changes}${changes ? ` (wet ${summary.wet_diapers ?? diapers.wet ?? 0}, dirty ${
      summary.dirty_diapers ?? diapers.dirty ?? 0})` : ""}`],
    ["Sleep", `${sleepHours} h${summary.naps ? ` · ${summary.naps} naps` : ""}`],
  ];
  return h("dl", { class: "summary" }, facts.map(([label, value]) => [
    h("dt", {}, label), h("dd", { dataset: { fact: label.toLowerCase() } }, value)]));
}

function quickLog(child, reload) {
  return h("div", { class: "quick-log", role: "group", "aria-label": `Log for ${child.name}` },
    QUICK_LOGS.map((entry) => {
      const button = h("button", { type: "button", class: "chip" }, entry.label);
      button.addEventListener("click", () => act(button, async () => {
        await api.post(`/api/children/${encodeURIComponent(child.id)}/events`, { kind: entry.kind, data: entry.data });
        showOk(`Logged for ${child.name}: ${entry.label.toLowerCase()}.`);
        await reload();
      }));
      return button;
    }));
}

function supplyView(supplies) {
  if (!supplies || !supplies.length) return null;
  return section("Supplies at home", h("ul", { class: "plain" }, supplies.map((s) =>
    h("li", { class: `line supply ${s.days_left <= 3 ? "low" : ""}` },
      h("div", { class: "line-main" },
        h("span", { class: "name" }, s.product ? s.product.name : words(s.kind)),
        h("span", { class: "muted" }, `about ${Math.round(s.units_left)} ${s.unit_word} left, ${
          s.per_day.toFixed(1)} a day`)),
      h("span", { class: "amount" }, `runs out ${day(s.runs_out_on)}`)))));
}

async function childPanel(child, household, reload) {
  const now = new Date();
  const since = new Date(now.getTime() - CHART_DAYS * DAY_MS).toISOString();
  const base = `/api/children/${encodeURIComponent(child.id)}`;
  const [summary, log] = await Promise.all([
    api.get(`${base}/summary`),
    api.get(`${base}/events?since=${encodeURIComponent(since)}`),
  ]);
  const events = log.events || [];
  const timeZone = household.timezone || undefined;
  const rows = dailyTotals(events, lastDays(CHART_DAYS, now, timeZone), timeZone, now);
  const recent = [...events].sort((a, b) => new Date(b.at) - new Date(a.at)).slice(0, 12);
  return h("section", { class: "panel child", "aria-label": child.name, dataset: { childId: child.id } },
    h("h2", {}, `${child.name} today`),
    summaryView(summary.summary || summary),
    quickLog(child, reload),
    h("h3", {}, "Timeline"),
    recent.length ? h("ol", { class: "timeline events" }, recent.map((e) =>
      h("li", { class: `done ${e.kind}` }, h("span", {}, describe(e)),
        h("time", { datetime: e.at }, when(e.at))))) : empty("Nothing logged in the last two weeks."),
    h("h3", {}, "Last 14 days"),
    renderCharts(rows));
}

export default {
  title: "Baby",
  async show(container, ctx) {
    const reload = () => this.show(container, ctx);
    let data;
    try {
      data = await api.optional("/api/children");
    } catch (err) {
      showError(err);
      return;
    }
    if (data === null) {
      replace(container, section("Baby", empty("This server has no baby log yet.")));
      return;
    }
    const children = data.children || [];
    if (!children.length) {
      replace(container, section("Baby", empty("No children in this household.")));
      return;
    }
    const supplies = await api.optional("/api/supplies").catch(() => null);
    const panels = await Promise.all(children.map((c) => childPanel(c, ctx.household, reload)));
    replace(container, panels, supplyView(supplies && supplies.supplies));
  },
};
