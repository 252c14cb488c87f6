// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package, so the
// findings in bench/ANALYSIS.md can be reproduced. Usage: node bench/tools/profile-summary.mjs FILE [top]
import { readFileSync } from "node:fs";

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (url) => {
  if (!url) return "(native/V8)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.startsWith("node:")) return "node core";
  if (url.includes("/apps/api/generated/")) return "prisma generated client";
  if (url.includes("/apps/api/")) return "jobdeck api";
  if (url.includes("/bench/")) return "bench baseline";
  return url;
};
const fn = new Map();
const pkg = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const name = cf.functionName || "(anonymous)";
  if (name === "(idle)" || name === "(program)" || name === "(garbage collector)") {
    pkg.set(name, (pkg.get(name) ?? 0) + us);
    fn.set(name, (fn.get(name) ?? 0) + us);
    continue;
  }
  const key = `${name} ${where(cf.url)}:${cf.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  pkg.set(where(cf.url), (pkg.get(where(cf.url)) ?? 0) + us);
}
const busy = total - (pkg.get("(idle)") ?? 0);
const show = (title, map) => {
  console.log(
    `\n${title} (share of non-idle time, ${(busy / 1e6).toFixed(1)} s busy of ${(total / 1e6).toFixed(1)} s)`,
  );
  for (const [k, v] of [...map]
    .filter(([k]) => k !== "(idle)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)) {
    console.log(`${((v / busy) * 100).toFixed(1).padStart(5)} %  ${k}`);
  }
};
show("by package", pkg);
show("by function", fn);
