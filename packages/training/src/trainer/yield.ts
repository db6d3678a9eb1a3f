// A pause for the event loop between two updates. The training loop is a chain of promises that
// rarely waits on I/O (tensor ops are synchronous, data comes from memory or a shuffle buffer), so
// without it Node never reaches the phase where signal handlers and timers run: Ctrl-C did nothing
// for minutes in a long pretraining run, and a browser page froze between updates.
export function yieldToEventLoop(): Promise<void> {
  return typeof setImmediate === 'function'
    ? new Promise((resolve) => setImmediate(resolve))
    : new Promise((resolve) => setTimeout(resolve, 0));
}
