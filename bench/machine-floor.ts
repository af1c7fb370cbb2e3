// The machine's floor for a durable unary call: a grpc-js server in its own process whose one
// method reads a row by key and commits an insert (synchronous commit), nothing else. It is the
// least any SendSms can do (check, then store durably), so its latency at the same rate and with
// the same client says how much of SendSms's tail is this machine's and how much is ours.
// `npm run bench:sending -- --floor` measures it beside SendSms.
import * as grpc from '@grpc/grpc-js';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The floor's one method: the request's bytes are its row key, the answer echoes them. */
export const floorCall = {
  path: '/sabia.bench.Floor/Call',
  requestSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

/** Bytes in, bytes out: the server's side of floorCall. */
export const floorMethod = { ...floorCall, requestStream: false, responseStream: false, requestDeserialize: floorCall.requestSerialize, responseSerialize: floorCall.responseDeserialize };

export interface FloorServer {
  address: string;
  child: ChildProcess;
  stop(): void;
}

/** Starts the floor server in a child process (it runs this file), writing to `databaseUrl`. */
export async function startFloorServer(databaseUrl: string): Promise<FloorServer> {
  const child = fork(__filename, ['serve'], { env: { ...process.env, FLOOR_DATABASE_URL: databaseUrl }, stdio: 'inherit' });
  const address = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve(String(m)));
    child.once('exit', (code) => reject(new Error(`the floor server exited (${code}) before it listened`)));
  });
  return { address, child, stop: () => void child.kill() };
}

async function serve() {
  const pool = new pg.Pool({ connectionString: process.env.FLOOR_DATABASE_URL, max: 4 });
  await pool.query('create table if not exists bench_floor (id uuid primary key, account_id text not null, key text not null, body text not null, unique (account_id, key))');
  const handler = (call: grpc.ServerUnaryCall<Buffer, Buffer>, reply: grpc.sendUnaryData<Buffer>) => {
    const key = call.request.toString('utf8');
    pool
      .query({ name: 'floor_check', text: 'select exists(select 1 from bench_floor where account_id = $1 and key = $2) as taken', values: ['bench', key] })
      .then(() => pool.query({ name: 'floor_store', text: 'insert into bench_floor (id, account_id, key, body) values ($1, $2, $3, $4)', values: [randomUUID(), 'bench', key, 'mensagem'] }))
      .then(
        () => reply(null, call.request),
        (err: Error) => reply({ code: grpc.status.INTERNAL, details: err.message }),
      );
  };
  const server = new grpc.Server();
  server.addService({ Call: floorMethod }, { Call: handler });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) throw err;
    process.send!(`127.0.0.1:${port}`);
  });
}

if (process.argv[2] === 'serve') {
  // Gone with the benchmark, however it ends.
  process.on('disconnect', () => process.exit(0));
  void serve();
}
