// @albert-ts/trainer: the albert-train CLI. Programmatic use: build the commander program and run it.
export { createProgram } from './cli/program.js';
export * from './errors.js';
