/**
 * Runs an app's main when the file is executed (not imported by a test). A failure before
 * the logger exists (bad configuration) goes to stderr as a plain message, exit code 1.
 */
export function runMain(main: () => Promise<unknown>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
