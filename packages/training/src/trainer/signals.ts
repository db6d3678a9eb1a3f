// SIGINT / SIGTERM in Node: the first one asks the Trainer to stop after the current update and
// write a checkpoint; a second one while that happens restores the default handling and re-raises,
// so the process dies as the user asked. No-op outside Node.
import { isNode } from '../node-builtins.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Installs the handlers; returns the function that removes them. */
export function onStopSignal(stop: (signal: string) => void): () => void {
  if (!isNode) return () => {};
  let received: string | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (received != null) {
      remove();
      process.kill(process.pid, signal);
      return;
    }
    received = signal;
    stop(signal);
  };
  const remove = () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
  for (const s of SIGNALS) process.on(s, handler);
  return remove;
}
