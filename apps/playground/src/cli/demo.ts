#!/usr/bin/env node
// `pnpm demo`: a short offline tour of the albert CLI on the embedded default model (or, until it
// is installed, the fixture models, with a notice). `pnpm demo --web` builds and serves the web page.
import { AlbertError } from 'albert-ts';
import { createProgram } from './program.js';

export const TOUR: { title: string; args: string[] }[] = [
  { title: 'Fill the mask', args: ['fill-mask', 'The capital of France is [MASK].', '--top-k', '5'] },
  { title: 'Sentiment', args: ['classify', 'What a lovely day!', 'The film was a dull, tired mess.'] },
  {
    title: 'Question answering',
    args: [
      'qa',
      '--context',
      'Alice followed the White Rabbit down the rabbit-hole and found herself in Wonderland.',
      '--question',
      'Who did Alice follow?',
    ],
  },
  { title: 'Named entities', args: ['ner', 'Alice met the Queen of Hearts in Wonderland.'] },
  { title: 'Tokens', args: ['tokenize', 'ALBERT shares its layers.'] },
];

async function tour(): Promise<void> {
  for (const step of TOUR) {
    process.stdout.write(
      `\n=== ${step.title}: albert ${step.args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`,
    );
    await createProgram().parseAsync(step.args, { from: 'user' });
  }
  process.stdout.write(
    '\nMore: `albert --help`, `albert info`, `pnpm demo --web` for the web page (run, explain and fine-tune ALBERT).\n',
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--web')) {
    const { serveWeb } = await import('../web-server/serve-web.js');
    await serveWeb({ build: true, port: Number(process.env.PORT ?? 5173), log: true });
    return;
  }
  await tour();
}

main().catch((err: unknown) => {
  if (err instanceof AlbertError) {
    process.stderr.write(`albert demo: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
