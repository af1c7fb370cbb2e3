import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { busNames, type BusNames } from './subjects';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: BusNames;
  /** Drains (lets in-flight publishes and acks finish) and closes. */
  close(): Promise<void>;
}

export async function connectBus(url: string, name: string, namespace = ''): Promise<Bus> {
  const nc = await connect({
    servers: url.split(','),
    name,
    // Keep trying through a broker restart; publishes wait in the outbox meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // Otherwise every request (each JetStream publish and ack-sync) builds an Error up front,
    // just to have its stack if it fails: a measurable share of a busy relay's CPU.
    noAsyncTraces: true,
  });
  const jsm = await jetstreamManager(nc);
  return {
    nc,
    js: jetstream(nc),
    jsm,
    names: busNames(namespace),
    close: async () => {
      if (!nc.isClosed()) await nc.drain();
    },
  };
}
