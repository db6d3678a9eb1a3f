#!/usr/bin/env node
// albert-train: the training app's entry point. Errors albert-ts throws on purpose (AlbertError)
// are printed as one message and exit with code 2; anything else is a bug and keeps its stack.
import { AlbertError } from '../errors.js';
import { createProgram } from './program.js';

createProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof AlbertError) {
      process.stderr.write(`albert-train: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  });
