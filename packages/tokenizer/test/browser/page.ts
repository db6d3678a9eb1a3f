// Runs in chromium: load the ALBERT model from the test server, encode texts, report back.
import { AlbertTokenizer, ModelFormatError, parseModelProto, serializeModelProto } from '../../src/index.js';

interface Out {
  encodings?: { ids: number[]; offsets: number[] }[];
  tokens?: string[];
  roundTrip?: boolean;
  truncated?: string;
  jsonIds?: number[];
  error?: string;
}

async function main(): Promise<Out> {
  const texts = (await (await fetch('/texts.json')).json()) as string[];
  const bytes = new Uint8Array(await (await fetch('/albert-30k.model')).arrayBuffer());
  const tok = AlbertTokenizer.fromBytes(bytes);
  const encodings = texts.map((t) => {
    const e = tok.encode(t);
    return { ids: [...e.inputIds], offsets: [...e.offsets] };
  });
  let truncated = '';
  try {
    parseModelProto(bytes.subarray(0, 1000));
  } catch (e) {
    truncated = e instanceof ModelFormatError ? e.message : `other: ${String(e)}`;
  }
  const json = AlbertTokenizer.fromTokenizerJson(await (await fetch('/tokenizer.json')).text());
  return {
    encodings,
    tokens: tok.tokenize(texts[0] as string),
    roundTrip: serializeModelProto(parseModelProto(bytes)).length === bytes.length,
    truncated,
    jsonIds: [...json.encode('The U.S.A. and the U.K.').inputIds],
  };
}

main().then(
  (out) => {
    (window as unknown as { __tok: Out }).__tok = out;
  },
  (e: unknown) => {
    (window as unknown as { __tok: Out }).__tok = { error: String((e as Error)?.stack ?? e) };
  },
);
