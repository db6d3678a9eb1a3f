#!/usr/bin/env node
// albert-serve: the server's own entry point (the sample app's `albert serve` runs the same command).
// Errors albert-ts throws on purpose (AlbertError) print as one line and exit with code 2.
import { AlbertError } from 'albert-ts';
import { serve } from './serve.js';

serve().catch((err: unknown) => {
  if (err instanceof AlbertError) {
    process.stderr.write(`albert-serve: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
});
