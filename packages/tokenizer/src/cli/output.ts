// Writing JSON lines to stdout with backpressure (large inputs never buffer unboundedly).

export async function writeLine(value: object): Promise<void> {
  if (!process.stdout.write(`${JSON.stringify(value)}\n`)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
