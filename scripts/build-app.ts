// `nx build <app>`: bundles apps/<app>/src/main.ts as services run (appBundleOptions in
// @sabia/testing: our own libraries inlined, npm packages left external), into
// dist/apps/<app>/src/main.js, with the app's migrations beside it at dist/apps/<app>/drizzle.
// Run it with `node dist/apps/<app>/src/main.js` next to node_modules (the Dockerfile does).
import { build } from 'esbuild';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
// The options alone: the testing library's index would load pg, NATS and the pipeline here.
import { appBundleOptions } from '../libs/platform/testing/src/app-bundle';

const root = join(__dirname, '..');
const appRoot = process.argv[2] ?? '';
if (!appRoot.startsWith('apps/')) {
  console.error('usage: tsx scripts/build-app.ts apps/<app>');
  process.exit(2);
}
const out = join(root, 'dist', appRoot);

async function main() {
  rmSync(out, { recursive: true, force: true });
  const result = await build({ ...appBundleOptions(root, appRoot.slice('apps/'.length), join(out, 'src/main.js')), sourcemap: true, metafile: true });
  if (existsSync(join(root, appRoot, 'drizzle'))) cpSync(join(root, appRoot, 'drizzle'), join(out, 'drizzle'), { recursive: true });
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  console.log(`built ${appRoot} → dist/${appRoot}/src/main.js (${(bytes / 1024).toFixed(0)} KiB with source map)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
