import { callUnary } from '@sabia/grpc-kit';
import { parseArgs } from 'node:util';
import { paint } from '../paint';
import type { Session } from '../session';

export const usage = 'sabia preview --text <text>';

/** What a text would become under the caller's settings: encoding, parts, characters left. */
export async function run(session: Session, argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { text: { type: 'string' } } });
  if (values.text === undefined) throw new Error(`usage: ${usage}`);
  const p = await callUnary(session.sending, session.sending.previewSms, { text: values.text }, { token: session.token });
  console.log(`  encoding          ${p.encoding}`);
  console.log(`  parts             ${p.parts}`);
  console.log(`  characters        ${p.charsUsed} used, ${p.charsLeftInPart} left in the last part`);
  if (p.transliterated) console.log(`  sent as           ${p.text}  ${paint.dim('(accents are off for this account)')}`);
  if (p.overLimit) console.log(`  ${paint.red('over your character limit: it would be refused with 214')}`);
}
