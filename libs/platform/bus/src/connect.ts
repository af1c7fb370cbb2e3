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
