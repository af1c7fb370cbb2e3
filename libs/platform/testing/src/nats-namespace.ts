import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

/**
 * Deletes the streams (and so the consumers and messages) of one test namespace. Without it
 * every test run would leave its streams on the shared server, which slows it down run
 * after run.
 */
export async function dropNamespace(natsUrl: string, namespace: string): Promise<number> {
  if (!namespace) throw new Error('refusing to drop the empty (production) namespace');
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const names: string[] = [];
    for await (const info of jsm.streams.list()) {
      if (info.config.name.startsWith(`${namespace}_`)) names.push(info.config.name);
    }
    for (const name of names) await jsm.streams.delete(name);
    return names.length;
  } finally {
    await nc.close();
  }
}
