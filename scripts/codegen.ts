// Regenerates libs/contracts from proto/ with buf and the local ts-proto plugin (offline).
// `--check` fails when the committed generated code differs from what the protos produce,
// as the OpenTelemetry demo's CI does.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const gen = join(root, 'libs/contracts/src/gen');
const check = process.argv.includes('--check');

const run = (cmd: string, args: string[], cwd = root) =>
  execFileSync(cmd, args, { cwd, stdio: 'inherit' });

console.log('codegen: buf lint');
run(join(root, 'node_modules/.bin/buf'), ['lint'], join(root, 'proto'));
console.log('codegen: buf generate → libs/contracts/src/gen');
rmSync(gen, { recursive: true, force: true });
run(join(root, 'node_modules/.bin/buf'), ['generate'], join(root, 'proto'));

if (check) {
  const drift = execFileSync('git', ['status', '--porcelain', '--', gen], { cwd: root }).toString();
  if (drift.trim()) {
    console.error(`codegen: generated code is stale; run \`npm run codegen\` and commit:\n${drift}`);
    process.exit(1);
  }
  console.log('codegen: generated code is up to date');
}
