// `npm test`: Postgres and NATS (found or embedded, see infra.ts), then the whole vitest suite.
// Extra arguments go to vitest (`npm test -- apps/billing`). The very last line printed is
// `N passed, N failed[, N skipped]`, read from vitest's JSON report, so CI logs end with the count.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ensureInfra } from './infra';
import { repoRoot, statePath } from './lib/paths';
import { signalChild } from './lib/proc';

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{ status: string; assertionResults: Array<{ status: string }> }>;
}

async function main(): Promise<number> {
  const infra = await ensureInfra({ log: (l) => console.log(`[infra] ${l}`) });
  const reportFile = statePath('vitest-report.json');
  rmSync(reportFile, { force: true }); // a stale report must not pass for this run's

  // vitest's own entry run by our Node (not `npx`), so `node24 scripts/test.ts` tests on Node 24.
  const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs'); // its "bin"; not in "exports"
  const args = ['run', '--reporter=default', '--reporter=json', `--outputFile=${reportFile}`, ...process.argv.slice(2)];
  const child = spawn(process.execPath, [vitest, ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: infra.databaseUrl, NATS_URL: infra.natsUrl },
  });
  // Ctrl-C reaches vitest directly (same process group); a SIGTERM sent to us alone (a CI
  // timeout) is passed on. Either way we wait for vitest, then stop the infra.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => signalChild(child, 'SIGTERM'));
  const code = await new Promise<number>((resolve) => {
    child.on('error', (err) => {
      console.error(`could not run vitest: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (c, signal) => resolve(c ?? (signal ? 128 + 15 : 1)));
  });

  await infra.stop();
  if (!existsSync(reportFile)) {
    console.error(`vitest wrote no report (${relative(repoRoot, reportFile)}); exit code ${code}`);
    return code || 1;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
  // A test file that fails without a failing test (import error, throwing beforeAll) counts as one
  // failure. Not numFailedTestSuites: that also counts every describe() around a failed test.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'));
  const failed = report.numFailedTests + brokenFiles.length;
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${report.numPassedTests} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
