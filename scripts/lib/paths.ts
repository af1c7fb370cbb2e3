// Where the dev tooling keeps its state: `.sabia/` in the repository root (git-ignored).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const stateDir = join(repoRoot, '.sabia');

/** A path under .sabia/, creating .sabia/ itself on first use. */
export function statePath(...parts: string[]): string {
  mkdirSync(stateDir, { recursive: true });
  return join(stateDir, ...parts);
}
