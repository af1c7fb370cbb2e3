import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  durationMs: number;
  startMs: number;
  attributes: Record<string, unknown>;
  /** The spans it links to (a relay's publish links every event it carries). */
  links: Array<{ traceId: string; spanId: string }>;
}

interface OtlpJson {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: Record<string, unknown> }> };
    scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }>;
  }>;
}

const value = (v: Record<string, unknown>) => Object.values(v)[0];

/**
 * A real OTLP/HTTP (JSON) trace endpoint for tests: services export to it exactly as they
 * would to Jaeger or a collector, and tests read back the spans.
 */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type']?.includes('json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpJson;
        for (const rs of body.resourceSpans ?? []) {
          const attrs = Object.fromEntries((rs.resource?.attributes ?? []).map((a) => [a.key, value(a.value)]));
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                service: String(attrs['service.name']),
                traceId: String(s.traceId),
                spanId: String(s.spanId),
                parentSpanId: String(s.parentSpanId ?? ''),
                name: String(s.name),
                kind: Number(s.kind),
                durationMs: (Number(s.endTimeUnixNano) - Number(s.startTimeUnixNano)) / 1e6,
                startMs: Number(s.startTimeUnixNano) / 1e6,
                attributes: Object.fromEntries(
                  ((s.attributes as Array<{ key: string; value: Record<string, unknown> }>) ?? []).map((a) => [a.key, value(a.value)]),
                ),
                links: ((s.links as Array<{ traceId?: string; spanId?: string }>) ?? []).map((l) => ({ traceId: String(l.traceId ?? ''), spanId: String(l.spanId ?? '') })),
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
