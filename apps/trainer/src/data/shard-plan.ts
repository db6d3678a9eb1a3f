// Cutting a corpus (one or more text files, read as one stream) into byte ranges of about equal
// size, one per output shard. Cuts fall at line starts, so no line is split; a document that spans
// a cut becomes two documents (at most shards − 1 of them in the whole corpus).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { CorpusTooSmallError } from '../errors.js';

export interface FilePart {
  file: string;
  /** First byte (a line start) and one past the last byte. */
  start: number;
  end: number;
}

export function planShards(files: readonly string[], shards: number): FilePart[][] {
  const sizes = files.map((f) => statSync(f).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  // Global cut positions, each moved to the next line start of its file.
  const cuts: { file: number; offset: number }[] = [{ file: 0, offset: 0 }];
  for (let k = 1; k < shards; k++) {
    let target = Math.floor((total * k) / shards);
    let file = 0;
    while (file < files.length - 1 && target >= (sizes[file] as number)) target -= sizes[file++] as number;
    cuts.push({ file, offset: nextLineStart(files[file] as string, target, sizes[file] as number) });
  }
  cuts.push({ file: files.length - 1, offset: sizes[files.length - 1] as number });
  const plan: FilePart[][] = [];
  for (let k = 0; k < shards; k++) {
    const from = cuts[k] as { file: number; offset: number };
    const to = cuts[k + 1] as { file: number; offset: number };
    const parts: FilePart[] = [];
    for (let f = from.file; f <= to.file; f++) {
      const start = f === from.file ? from.offset : 0;
      const end = f === to.file ? to.offset : (sizes[f] as number);
      if (end > start) parts.push({ file: files[f] as string, start, end });
    }
    if (parts.length === 0) {
      throw new CorpusTooSmallError(
        `the corpus (${total} bytes in ${files.length} file(s)) has too few lines for ${shards} shards: shard ${k} ` +
          'would be empty. Use fewer --shards or more text.',
      );
    }
    plan.push(parts);
  }
  return plan;
}

/** The offset just after the first '\n' at or after `offset` (the file size if none). */
function nextLineStart(file: string, offset: number, size: number): number {
  if (offset === 0) return 0;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    // A cut at `offset` is already a line start when the byte before it is '\n'.
    let pos = offset - 1;
    while (pos < size) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      const i = buf.subarray(0, n).indexOf(10);
      if (i >= 0) return pos + i + 1;
      pos += n;
    }
    return size;
  } finally {
    closeSync(fd);
  }
}
