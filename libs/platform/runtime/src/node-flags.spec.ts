import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE_NODE_FLAGS } from './node-flags';

describe('SERVICE_NODE_FLAGS', () => {
  it('are the flags the container starts every service with (the Dockerfile cannot import them)', () => {
    const dockerfile = readFileSync(join(__dirname, '../../../../Dockerfile'), 'utf8');
    const cmd = dockerfile.split('\n').find((line) => line.startsWith('CMD '))!;
    const flags = [...cmd.matchAll(/exec node ((?:--[\w-]+(?:=\S+)? )*)\\"dist\/apps\//g)][0]![1]!.trim().split(' ');
    expect(flags).toEqual([...SERVICE_NODE_FLAGS]);
  });
});
