// Reading a text file line by line from any byte offset, holding only one read buffer (1 MiB by
// default) and the current line in memory. Each line comes with the byte offset just past its
// newline, so a reader can be reopened exactly where another stopped.
import { nodeFs } from '../node-builtins.js';

export interface Line {
  /** The line without its "\n" (and without a trailing "\r"). */
  text: string;
  /** Byte offset where the next line starts. */
  next: number;
}

export async function* readLines(path: string, start = 0, bufferSize = 1 << 20): AsyncGenerator<Line> {
  const file = await (await nodeFs()).open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(bufferSize);
    let carry: Buffer[] = []; // pieces of a line that spans reads
    let position = start;
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, bufferSize, position);
      if (bytesRead === 0) break;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, from);
        if (nl === -1 || nl >= bytesRead) break;
        let bytes: Buffer = buf.subarray(from, nl);
        if (carry.length > 0) {
          carry.push(bytes);
          bytes = Buffer.concat(carry);
          carry = [];
        }
        const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
        yield { text: bytes.toString('utf8', 0, end), next: position + nl + 1 };
        from = nl + 1;
      }
      if (from < bytesRead) carry.push(Buffer.from(buf.subarray(from, bytesRead)));
      position += bytesRead;
    }
    if (carry.length > 0) {
      const bytes = Buffer.concat(carry);
      const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
      yield { text: bytes.toString('utf8', 0, end), next: position };
    }
  } finally {
    await file.close();
  }
}
