// `npm run profile:summary -- /tmp/prof [--top 20]`: reads the V8 CPU profiles a benchmark
// wrote with SABIA_PROFILE_DIR (one folder per service) and prints, per service, where its
// time went: by package or file (self time) and the project's own functions (inclusive time).
// "(idle)" is time the service waited; time inside a syscall (writev) includes time the
// process was descheduled for the peer it woke, so compare services by CPU, not by these shares.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
const dir = positionals[0];
if (!dir) {
  console.error('usage: npm run profile:summary -- <SABIA_PROFILE_DIR> [--top N]');
  process.exit(2);
}
const top = Number(values.top);

const shortUrl = (url: string) =>
  url.replace(/^file:\/\//, '').replace(/.*\/node_modules\/((@[^/]+\/)?[^/]+)\/.*/, 'pkg:$1').replace(/.*\/work\/[^/]+\//, '').replace(/^.*?\/(apps|libs)\//, '$1/');
const frameName = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}`.trim();

function summarize(file: string) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfTime = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
    total += dt;
  });
  const byPackage = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of selfTime) {
    const node = byId.get(id)!;
    const where = shortUrl(node.callFrame.url) || node.callFrame.functionName;
    byPackage.set(where, (byPackage.get(where) ?? 0) + t);
    // Inclusive time of our own functions: each counted once per sample, however deep it recurs.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)!;
      if (!/\/(apps|libs)\//.test(frame.callFrame.url) || /node_modules/.test(frame.callFrame.url)) continue;
      const name = frameName(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + t);
    }
  }
  return { total, byPackage, inclusive };
}

const row = (ms: number, total: number, label: string) => `    ${(ms / 1000).toFixed(0).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${label}`;
const best = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);

for (const service of readdirSync(dir).sort()) {
  const folder = join(dir, service);
  if (!statSync(folder).isDirectory()) continue;
  // The main thread's profile is the largest one a process wrote.
  const files = readdirSync(folder).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(folder, f));
  const main = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!main) continue;
  const { total, byPackage, inclusive } = summarize(main);
  console.log(`\n${service}  (${(total / 1e6).toFixed(1)} s profiled)`);
  console.log('  self time by package or file');
  for (const [label, ms] of best(byPackage)) console.log(row(ms, total, label));
  console.log("  the project's functions, inclusive");
  for (const [label, ms] of best(inclusive)) console.log(row(ms, total, label));
}
