import type { ServiceError } from '@grpc/grpc-js';
import { loadConfig } from './config';
import * as billing from './commands/billing';
import * as cancel from './commands/cancel';
import * as preview from './commands/preview';
import * as report from './commands/report';
import * as send from './commands/send';
import * as status from './commands/status';
import { openSession } from './session';

const commands = { send, status, preview, cancel, report, billing } as const;

function help(): string {
  return ['sabia — operator command line for Sabiá', '', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(help());
    return 0;
  }
  const command = commands[name as keyof typeof commands];
  if (!command) {
    console.error(`unknown command ${name}\n\n${help()}`);
    return 2;
  }
  const session = await openSession(loadConfig());
  try {
    await command.run(session, rest);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    const grpcErr = err as Partial<ServiceError>;
    console.error(grpcErr.code !== undefined ? `error: ${grpcErr.details ?? grpcErr.message}` : `error: ${(err as Error).message}`);
    return 1;
  } finally {
    session.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`error: ${err instanceof Error ? err.message : err}`);
      process.exit(1);
    },
  );
}
