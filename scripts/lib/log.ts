// Terminal output for the dev scripts: coloured prefixes, and pino JSON lines squeezed into one
// readable line each (the services log JSON for machines; people watching `npm run up` want text).

const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const PALETTE = [36, 35, 33, 32, 34, 96, 95, 93]; // cyan magenta yellow green blue + bright ones

export function colour(code: number, text: string): string {
  return useColour ? `\x1b[${code}m${text}\x1b[0m` : text;
}
export const bold = (t: string) => colour(1, t);
export const red = (t: string) => colour(31, t);
export const green = (t: string) => colour(32, t);
export const dim = (t: string) => colour(2, t);

/** A fixed-width, coloured `name │` prefix; the index picks the colour. */
export function prefixer(names: string[]): (name: string) => string {
  const width = Math.max(...names.map((n) => n.length));
  return (name) => {
    const i = names.indexOf(name);
    return colour(i < 0 ? 37 : PALETTE[i % PALETTE.length]!, name.padEnd(width)) + dim(' │ ');
  };
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
// Fields every pino line carries (or that are noise to a person reading the terminal).
const BORING = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'service', 'v', 'trace_id', 'span_id', 'trace_flags', 'err']);

/**
 * One pino JSON line → `12:00:01 WARN message key=value…`, or undefined when below minLevel.
 * Anything that is not pino JSON (a stack trace, tsx's own output) passes through unchanged.
 */
export function compactLogLine(raw: string, minLevel = 30): string | undefined {
  if (!raw.startsWith('{')) return raw;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return raw;
  }
  const level = typeof entry.level === 'number' ? entry.level : 30;
  if (level < minLevel) return undefined;
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const extras = Object.entries(entry)
    .filter(([k]) => !BORING.has(k))
    .map(([k, v]) => `${k}=${truncate(typeof v === 'string' ? v : JSON.stringify(v), 60)}`);
  const name = LEVELS[level] ?? String(level);
  const label = level >= 50 ? red(name) : level >= 40 ? colour(33, name) : dim(name);
  let line = `${dim(time)} ${label} ${String(entry.msg ?? '')}${extras.length ? ' ' + dim(extras.join(' ')) : ''}`;
  const err = entry.err as { stack?: string; message?: string } | undefined;
  if (err) line += `\n${err.stack ?? err.message ?? JSON.stringify(err)}`;
  return line;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
