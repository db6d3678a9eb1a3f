// `albert-tokenizer tokenize`: text or JSONL in (file or stdin), one JSON line of ids, pieces and
// offsets out per input line.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  AlbertTokenizer,
  type EncodeOptions,
  type Encoding,
  SentencePieceProcessor,
  TokenizerInputError,
  type TruncationStrategy,
} from '../index.js';
import { writeLine } from './output.js';

export interface TokenizeFlags {
  model: string;
  input?: string;
  format?: 'text' | 'jsonl';
  field: string;
  pairField: string;
  pair?: boolean;
  maxLength?: number;
  truncation?: TruncationStrategy;
  stride?: number;
  padding?: boolean;
  specialTokens: boolean;
  raw?: boolean;
}

interface Item {
  text: string;
  pair: string | null;
  line: number;
}

export async function tokenizeCommand(texts: string[], flags: TokenizeFlags): Promise<void> {
  const bytes = await readModel(flags.model);
  const format = flags.format ?? (flags.input?.endsWith('.jsonl') ? 'jsonl' : 'text');
  if (format !== 'text' && format !== 'jsonl') {
    throw new TokenizerInputError(`--format must be 'text' or 'jsonl', got '${format}'`);
  }
  if (flags.raw === true && (flags.maxLength !== undefined || flags.stride !== undefined || flags.padding === true)) {
    throw new TokenizerInputError(
      '--raw encodes plain SentencePiece pieces: --max-length, --stride and --padding need the ALBERT mode',
    );
  }
  const emit = flags.raw === true ? rawEncoder(bytes) : albertEncoder(bytes, flags);
  if (texts.length > 0) {
    for (const [i, text] of texts.entries()) await writeLine(emit({ text, pair: null, line: i + 1 }));
    return;
  }
  const input =
    flags.input === undefined || flags.input === '-' ? process.stdin : createReadStream(flags.input, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (format === 'text' && line.length === 0) continue;
    if (format === 'jsonl' && line.trim().length === 0) continue;
    const item = format === 'jsonl' ? parseJsonLine(line, n, flags) : parseTextLine(line, n, flags);
    await writeLine(emit(item));
  }
}

async function readModel(path: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new TokenizerInputError(`cannot read the model file '${path}': ${(e as Error).message}`);
  }
}

function parseTextLine(line: string, n: number, flags: TokenizeFlags): Item {
  if (flags.pair !== true) return { text: line, pair: null, line: n };
  const tab = line.indexOf('\t');
  if (tab < 0) throw new TokenizerInputError(`line ${n}: --pair with text input needs 'A<TAB>B' on every line`);
  return { text: line.slice(0, tab), pair: line.slice(tab + 1), line: n };
}

function parseJsonLine(line: string, n: number, flags: TokenizeFlags): Item {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new TokenizerInputError(`line ${n}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof value === 'string' && flags.pair !== true) return { text: value, pair: null, line: n };
  if (typeof value !== 'object' || value === null) {
    throw new TokenizerInputError(
      `line ${n}: expected a JSON object with a '${flags.field}' string (or a JSON string)`,
    );
  }
  const record = value as Record<string, unknown>;
  const text = record[flags.field];
  if (typeof text !== 'string')
    throw new TokenizerInputError(`line ${n}: field '${flags.field}' is missing or not a string`);
  if (flags.pair !== true) return { text, pair: null, line: n };
  const pair = record[flags.pairField];
  if (typeof pair !== 'string') {
    throw new TokenizerInputError(`line ${n}: --pair needs field '${flags.pairField}' as a string`);
  }
  return { text, pair, line: n };
}

function rawEncoder(bytes: Uint8Array): (item: Item) => object {
  const sp = SentencePieceProcessor.fromBytes(bytes);
  return (item) => {
    if (item.pair !== null) throw new TokenizerInputError('--raw encodes single texts only; drop --pair');
    const { ids, pieces, offsets } = sp.encode(item.text);
    return { ids, pieces, offsets };
  };
}

function albertEncoder(bytes: Uint8Array, flags: TokenizeFlags): (item: Item) => object {
  const tok = AlbertTokenizer.fromBytes(bytes);
  const options: EncodeOptions = { addSpecialTokens: flags.specialTokens };
  if (flags.maxLength !== undefined) {
    options.maxLength = flags.maxLength;
    options.truncation = flags.truncation ?? 'longest_first';
  } else if (flags.truncation !== undefined) options.truncation = flags.truncation;
  if (flags.stride !== undefined) {
    options.stride = flags.stride;
    options.returnOverflowingTokens = true;
  }
  if (flags.padding === true) options.padding = 'max_length';
  const toJson = (e: Encoding): Record<string, unknown> => {
    const ids = Array.from(e.inputIds);
    const offsets: [number, number][] = [];
    for (let i = 0; i < ids.length; i++) offsets.push([e.offsets[2 * i] as number, e.offsets[2 * i + 1] as number]);
    const out: Record<string, unknown> = {
      ids,
      pieces: tok.convertIdsToTokens(ids),
      offsets,
      tokenTypeIds: Array.from(e.tokenTypeIds),
      attentionMask: Array.from(e.attentionMask),
      specialTokensMask: Array.from(e.specialTokensMask),
    };
    if (e.overflow.length > 0) out.overflow = e.overflow.map(toJson);
    return out;
  };
  return (item) => {
    try {
      return toJson(tok.encode(item.text, item.pair, options));
    } catch (e) {
      if (e instanceof Error) e.message = `line ${item.line}: ${e.message}`;
      throw e;
    }
  };
}
