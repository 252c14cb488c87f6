/**
 * Two chart kinds, written as plain SVG (no chart service, no dependency): a dot plot of per-round
 * ratios with the median, the interquartile box and the goal line; and a line chart over time.
 */

const FONT = `font-family="ui-sans-serif, system-ui, sans-serif" font-size="12"`;
const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fixed = (value: number) => Number(value.toFixed(1));

export type RatioRow = {
  label: string;
  values: number[];
  median: number;
  q1: number;
  q3: number;
  isMet?: boolean;
};

export function ratioChart(options: {
  title: string;
  rows: RatioRow[];
  goals: { value: number; label: string }[];
  scale: "linear" | "log";
  unit?: string;
}): string {
  const { rows, goals, scale } = options;
  const labelWidth = 360;
  const plotWidth = 420;
  const rowHeight = 26;
  const top = 40;
  const height = top + rows.length * rowHeight + 40;
  const width = labelWidth + plotWidth + 30;
  const all = [...rows.flatMap((r) => r.values), ...goals.map((g) => g.value)].filter(
    (v) => v > 0 && Number.isFinite(v),
  );
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (scale === "linear") {
    lo = 0;
    hi = Math.ceil(hi * 1.1 * 10) / 10;
  } else {
    lo = 10 ** Math.floor(Math.log10(lo * 0.9));
    hi = 10 ** Math.ceil(Math.log10(hi * 1.1));
  }
  const x = (v: number) =>
    labelWidth +
    (scale === "linear"
      ? ((v - lo) / (hi - lo)) * plotWidth
      : ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotWidth);
  const ticks =
    scale === "linear"
      ? Array.from({ length: 6 }, (_, i) => lo + ((hi - lo) * i) / 5)
      : Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, i) => lo * 10 ** i);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(options.title)}</text>`,
  ];
  for (const t of ticks) {
    parts.push(
      `<line x1="${fixed(x(t))}" y1="${top - 6}" x2="${fixed(x(t))}" y2="${height - 34}" stroke="#eee"/>`,
      `<text x="${fixed(x(t))}" y="${height - 20}" text-anchor="middle" fill="#555">${Number(t.toPrecision(3))}${options.unit ?? "×"}</text>`,
    );
  }
  rows.forEach((row, i) => {
    const y = top + i * rowHeight + rowHeight / 2;
    const colour = row.isMet === undefined ? "#555" : row.isMet ? "#1a7f37" : "#cf222e";
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 4}" text-anchor="end">${escape(row.label)}</text>`,
      `<rect x="${fixed(x(row.q1))}" y="${y - 7}" width="${fixed(Math.max(1, x(row.q3) - x(row.q1)))}" height="14" fill="${colour}" fill-opacity="0.15"/>`,
      ...row.values.map(
        (v) => `<circle cx="${fixed(x(v))}" cy="${y}" r="3" fill="${colour}" fill-opacity="0.55"/>`,
      ),
      `<line x1="${fixed(x(row.median))}" y1="${y - 9}" x2="${fixed(x(row.median))}" y2="${y + 9}" stroke="${colour}" stroke-width="3"/>`,
    );
  });
  for (const goal of goals) {
    parts.push(
      `<line x1="${fixed(x(goal.value))}" y1="${top - 8}" x2="${fixed(x(goal.value))}" y2="${height - 34}" stroke="#0969da" stroke-dasharray="4 3"/>`,
      `<text x="${fixed(x(goal.value)) + 3}" y="${top - 10}" fill="#0969da">${escape(goal.label)}</text>`,
    );
  }
  parts.push(
    `<text x="10" y="${height - 4}" fill="#777">dots: rounds · bar: median · box: interquartile range · dashed: target</text>`,
    `</svg>`,
  );
  return parts.join("\n");
}

export function lineChart(options: {
  title: string;
  series: { label: string; points: [number, number][] }[];
  xLabel: string;
  yLabel: string;
  marks?: { x: number; label: string }[];
}): string {
  const width = 760;
  const height = 300;
  const left = 60;
  const right = 20;
  const top = 40;
  const bottom = 50;
  const xs = options.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = options.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, ...xs);
  const yMax = Math.ceil((Math.max(1, ...ys) * 1.15) / 10) * 10;
  const x = (v: number) => left + (v / xMax) * (width - left - right);
  const y = (v: number) => height - bottom - (v / yMax) * (height - top - bottom);
  const colours = ["#0969da", "#bc4c00", "#1a7f37", "#8250df"];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(options.title)}</text>`,
  ];
  for (let i = 0; i <= 5; i++) {
    const v = (yMax * i) / 5;
    parts.push(
      `<line x1="${left}" y1="${fixed(y(v))}" x2="${width - right}" y2="${fixed(y(v))}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${fixed(y(v)) + 4}" text-anchor="end" fill="#555">${Math.round(v)}</text>`,
    );
  }
  for (let i = 0; i <= 6; i++) {
    const v = (xMax * i) / 6;
    parts.push(
      `<text x="${fixed(x(v))}" y="${height - bottom + 16}" text-anchor="middle" fill="#555">${Math.round(v)}</text>`,
    );
  }
  for (const mark of options.marks ?? []) {
    parts.push(
      `<line x1="${fixed(x(mark.x))}" y1="${top}" x2="${fixed(x(mark.x))}" y2="${height - bottom}" stroke="#999" stroke-dasharray="4 3"/>`,
      `<text x="${fixed(x(mark.x)) + 3}" y="${top + 10}" fill="#777">${escape(mark.label)}</text>`,
    );
  }
  options.series.forEach((s, i) => {
    const colour = colours[i % colours.length]!;
    const path = s.points
      .map((p, j) => `${j === 0 ? "M" : "L"}${fixed(x(p[0]))},${fixed(y(p[1]))}`)
      .join(" ");
    parts.push(
      `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${left + 10 + i * 150}" y="${height - 8}" fill="${colour}">■ ${escape(s.label)}</text>`,
    );
  });
  parts.push(
    `<text x="${width - right}" y="${height - bottom + 32}" text-anchor="end" fill="#555">${escape(options.xLabel)}</text>`,
    `<text x="12" y="${top - 8}" fill="#555">${escape(options.yLabel)}</text>`,
    `</svg>`,
  );
  return parts.join("\n");
}
