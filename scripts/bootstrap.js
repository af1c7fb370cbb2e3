// Entry point of `npm run up` and `npm test` on a fresh clone: installs dependencies when
// node_modules is missing or older than package-lock.json, then runs the TypeScript script
// with tsx in this same Node. Plain JavaScript because nothing else can run before `npm ci`.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const [script, ...args] = process.argv.slice(2);
const installed = join(root, 'node_modules/.package-lock.json');
const lock = join(root, 'package-lock.json');

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  // npm install, not npm ci: the lock cannot list other platforms' optional binaries that the
  // registry lacks, so npm ci refuses it (see .ci/run); npm install installs the locked versions.
  console.log('[bootstrap] installing dependencies (npm install, from package-lock.json)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', `${script}.ts`), ...args], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches the child through the terminal's process group; a SIGTERM sent to us alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
