/**
 * The last safety catch of `revoke --yes` at a terminal: when more than `--confirm-over N` sessions
 * would go, the number must be typed back. Anything else (an empty line, another number, end of
 * input) aborts, and nothing is deleted.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export function matchesCount(answer: string, count: number): boolean {
  return answer.trim().replace(/[,_ ]/g, '') === String(count);
}

export async function confirmCount(count: number, what: string, input: Readable, output: Writable): Promise<boolean> {
  const rl = createInterface({ input, output, terminal: false });
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      rl.once('close', () => resolve(undefined));
      rl.question(`${what}\nType the number of sessions (${count}) to go on, anything else to stop: `, resolve);
    });
    return answer !== undefined && matchesCount(answer, count);
  } finally {
    rl.close();
  }
}
