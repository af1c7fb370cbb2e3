/** Percentile of an ascending array (nearest rank). */
export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Progress for a long run: a terminal gets one line rewritten in place, a log a line every 5 s
 * (at most). `done()` ends the rewritten line.
 */
export function progressLine(width = 100) {
  let lastLogged = 0;
  return {
    show(text: string): void {
      if (process.stdout.isTTY) return void process.stdout.write(`\r  ${text}`.padEnd(width));
      if (performance.now() - lastLogged < 5_000) return;
      lastLogged = performance.now();
      console.log(`  ${text}`);
    },
    done(): void {
      if (process.stdout.isTTY) console.log();
    },
  };
}

/**
 * Runs a benchmark's main: exit 0 when it finishes, 1 with the reason when it fails. Ctrl-C or
 * a timeout exits through process.exit too, so the spawned services' exit hooks stop them.
 */
export function runBench(main: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`\nbenchmark failed: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    },
  );
}
