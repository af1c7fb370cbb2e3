/**
 * Node flags every service runs with (tests, benchmarks, `npm run up` and the container).
 *
 * --max-semi-space-size=32: a busy service allocates short-lived objects (rows, events, PDUs,
 * requests) by the hundred megabytes a second; with V8's default 16 MB young generation it
 * spent a tenth of its CPU in scavenges. 32 MB halves their number for 32 MB more memory per
 * process (measured with `npm run bench:e2e`: about 10 % less CPU in status-tracking).
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
