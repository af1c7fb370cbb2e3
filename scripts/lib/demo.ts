// The end-to-end check `npm run up` finishes with: send one SMS with the CLI, then poll its status
// until the carrier's delivery receipt (the second level) has arrived.
import { spawn } from 'node:child_process';
import { sleep } from './net';
import { repoRoot } from './paths';
import { tsxCommand } from './proc';

export const DEMO_TO = '+5511987654321';
export const DEMO_TEXT = 'Olá do Sabiá! 🐦';

// Status names from DESIGN §3, matched loosely (any case, `_` or space) so the check does not
// depend on how the CLI lays out its table; a prefixed enum name (SENT_STATUS_SENT_SUCCESS) matches too.
const FIRST_OK = /sent[_ ]success/i;
const FIRST_FAILED =
  /expired|carrier[_ ]communication[_ ]error|rejected[_ ]by[_ ]carrier|invalid[_ ]destination[_ ]number|blacklisted|blocked[_ ]by[_ ]optout|invalid[_ ]message[_ ]text|country[_ ]not[_ ]allowed|invalid[_ ]customer[_ ]configuration|quota[_ ]blocked|internal[_ ]error/i;
const SECOND = /delivered[_ ]success|not[_ ]delivered|message[_ ]split/i;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `sabia <args>` (apps/cli) and collects its output; killed after timeoutMs. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<CliResult> {
  const [cmd, argv] = tsxCommand('apps/cli/src/main.ts', args);
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => (stderr += String(err)));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export type DemoResult = { ok: true; id: string; status: string } | { ok: false; reason: string };

export async function runDemo(env: NodeJS.ProcessEnv, log: (line: string) => void, timeoutMs = 30_000): Promise<DemoResult> {
  log(`sending a demo SMS to ${DEMO_TO}: sabia send --to ${DEMO_TO} --text "${DEMO_TEXT}"`);
  const sent = await runCli(['send', '--to', DEMO_TO, '--text', DEMO_TEXT], env);
  const id = sent.stdout.trim().split('\n').pop()?.trim();
  if (sent.code !== 0 || !id) return { ok: false, reason: `sabia send failed (exit ${sent.code}):\n${sent.stderr || sent.stdout}` };
  log(`accepted as ${id}; waiting for both status levels (up to ${timeoutMs / 1000} s)…`);

  const deadline = Date.now() + timeoutMs;
  let last: CliResult | undefined;
  while (Date.now() < deadline) {
    last = await runCli(['status', id], env);
    if (last.code === 0) {
      const out = last.stdout;
      if (FIRST_FAILED.test(out) && !FIRST_OK.test(out)) return { ok: false, reason: `the carrier did not accept the demo SMS:\n${out}` };
      if (FIRST_OK.test(out) && SECOND.test(out)) return { ok: true, id, status: out.trimEnd() };
    }
    await sleep(1000);
  }
  const seen = last ? `${last.stdout}${last.stderr}`.trim() : '(no answer)';
  return { ok: false, reason: `no delivery receipt for ${id} within ${timeoutMs / 1000} s; last \`sabia status\` said (exit ${last?.code}):\n${seen}` };
}
