// Daily totals of a child's log drawn as inline SVG bar charts (no library, nothing from a CDN).

const SVG = "http://www.w3.org/2000/svg";
const DAY_MS = 86400000;

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// The calendar day of an instant in the household's time zone, as YYYY-MM-DD.
export function dayKey(date, timeZone) {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })
    .formatToParts(date);
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export function lastDays(count, now, timeZone) {
  const keys = [];
  for (let i = count - 1; i >= 0; i -= 1) {
    const key = dayKey(new Date(now.getTime() - i * DAY_MS), timeZone);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

// Per day: feedings, hours of sleep (sleep split at midnight), diaper changes.
export function dailyTotals(events, days, timeZone, now) {
  const totals = Object.fromEntries(days.map((d) => [d, { feedings: 0, sleep: 0, diapers: 0 }]));
  const sorted = [...events].sort((a, b) => new Date(a.at) - new Date(b.at));
  let asleepSince = null;
  const addSleep = (start, end) => {
    let t = start.getTime();
    while (t < end.getTime()) {
      const key = dayKey(new Date(t), timeZone);
      const step = Math.min(end.getTime() - t, 15 * 60000); // quarter hours keep midnight splits exact enough
      if (totals[key]) totals[key].sleep += step / 3600000;
      t += step;
    }
  };
  for (const event of sorted) {
    if (event.duplicate_of) continue;
    const at = new Date(event.at);
    const key = dayKey(at, timeZone);
    if (event.kind === "feeding" && totals[key]) totals[key].feedings += 1;
    if (event.kind === "diaper" && totals[key]) totals[key].diapers += 1;
    if (event.kind === "sleep") {
      const action = (event.data || {}).action;
      if (action === "start" && asleepSince === null) asleepSince = at;
      if (action === "end" && asleepSince !== null) {
        addSleep(asleepSince, at);
        asleepSince = null;
      }
    }
  }
  if (asleepSince !== null) addSleep(asleepSince, now);
  return days.map((d) => ({ day: d, ...totals[d] }));
}

const SERIES = [
  { key: "feedings", title: "Feedings", unit: "", color: "#1d6fa5" },
  { key: "sleep", title: "Sleep", unit: "h", color: "#6b4fbb" },
  { key: "diapers", title: "Diapers", unit: "", color: "#b35c00" },
];

function barChart(rows, series) {
  const width = 340;
  const height = 120;
  const left = 28;
  const bottom = 20;
  const top = 16;
  const max = Math.max(1, ...rows.map((r) => r[series.key]));
  const scale = (height - bottom - top) / max;
  const band = (width - left) / rows.length;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart",
                          "aria-label": `${series.title} per day, last ${rows.length} days` });
  svg.append(el("title", {}, `${series.title} per day`));
  svg.append(el("text", { x: 0, y: 11, class: "chart-title" }, series.title + (series.unit ? ` (${series.unit})` : "")));
  svg.append(el("line", { x1: left, x2: width, y1: height - bottom, y2: height - bottom, class: "axis" }));
  svg.append(el("text", { x: left - 4, y: top + 4, class: "tick", "text-anchor": "end" },
    Number.isInteger(max) ? max : max.toFixed(1)));
  svg.append(el("text", { x: left - 4, y: height - bottom, class: "tick", "text-anchor": "end" }, "0"));
  rows.forEach((row, i) => {
    const value = row[series.key];
    const barHeight = value * scale;
    const x = left + i * band + band * 0.15;
    const rect = el("rect", { x, y: height - bottom - barHeight, width: band * 0.7, height: Math.max(barHeight, 0),
                              fill: series.color, rx: 2 });
    const shown = series.unit ? value.toFixed(1) : value;
    rect.append(el("title", {}, `${row.day}: ${shown}${series.unit}`));
    svg.append(rect);
    if (i % 2 === rows.length % 2 || i === rows.length - 1) {
      svg.append(el("text", { x: x + band * 0.35, y: height - 6, class: "tick", "text-anchor": "middle" },
        row.day.slice(8)));
    }
  });
  return svg;
}

export function renderCharts(rows) {
  const figure = document.createElement("figure");
  figure.className = "charts";
  for (const series of SERIES) figure.append(barChart(rows, series));
  const caption = document.createElement("figcaption");
  caption.textContent = `Daily totals, ${rows[0].day} to ${rows[rows.length - 1].day} (day of month under each bar).`;
  figure.append(caption);
  return figure;
}
