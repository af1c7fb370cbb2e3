/**
 * Runs `sweep` over and over, never two at once: first `firstAfterMs` after start, then
 * `everyMs` after each run ends, or at once when `again` says the run left more to do. A run
 * that throws goes to `onError` and the next one comes `everyMs` later. stop() cancels the next
 * run and waits for one in progress. Timers do not keep the process alive.
 */
export function startSweeper<T>(opts: {
  sweep: () => Promise<T>;
  everyMs: number;
  firstAfterMs?: number;
  again?: (result: T) => boolean;
  onResult?: (result: T) => void;
  onError: (err: unknown) => void;
}): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(tick, ms).unref();
  };
  const tick = () => {
    running = opts.sweep().then(
      (result) => {
        opts.onResult?.(result);
        schedule(opts.again?.(result) ? 0 : opts.everyMs);
      },
      (err) => {
        opts.onError(err);
        schedule(opts.everyMs);
      },
    );
  };
  schedule(opts.firstAfterMs ?? opts.everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
