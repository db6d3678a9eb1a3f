#!/usr/bin/env node
// albert: the playground's command line. Errors albert-ts throws on purpose (AlbertError) are
// printed as one message and exit with code 2; anything else is a bug and keeps its stack.
import { AlbertError } from 'albert-ts';
import { createProgram } from './program.js';

createProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof AlbertError) {
      process.stderr.write(`albert: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  });
