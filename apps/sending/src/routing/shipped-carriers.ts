import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The carriers file in the repository: every carrier bound to carrier-sim on 127.0.0.1:2775.
 * Found upwards from this code, which runs from apps/sending/src, from a bundle in
 * apps/sending/dist or from a build in dist/apps/sending/src.
 */
export const SHIPPED_CARRIERS_FILE = findUp(__dirname, 'config/carriers.json');

function findUp(from: string, path: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, path))) return join(dir, path);
    if (dirname(dir) === dir) return join(from, '../../../../', path); // not shipped: CARRIERS_FILE must be set
  }
}
