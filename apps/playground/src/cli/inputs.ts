// Where a command's texts come from: its arguments, or, when there are none, the lines piped into
// stdin (one input per non-empty line), for batch use: `cat reviews.txt | albert classify`.
import { UsageError } from '../errors.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Non-empty lines of stdin (without their line ends). */
export async function stdinLines(): Promise<string[]> {
  if (process.stdin.isTTY) return [];
  return (await readStdin()).split(/\r?\n/).filter((line) => line.trim() !== '');
}

/** The arguments, or stdin's lines when there are no arguments; `what` names the input in the error. */
export async function textInputs(args: string[], what: string, example: string): Promise<string[]> {
  if (args.length > 0) return args;
  const lines = await stdinLines();
  if (lines.length > 0) return lines;
  throw new UsageError(`no ${what} given: pass it as an argument (${example}) or pipe lines into stdin`);
}
