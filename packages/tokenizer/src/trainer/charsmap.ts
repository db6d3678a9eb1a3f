// The precompiled charsmaps the trainer writes into a model's normalizer_spec, decoded on demand
// (gzip via the standard DecompressionStream, available in Node ≥ 18 and browsers).

import { ALBERT_CHARSMAP_GZIP_BASE64 } from './charsmaps/albert-nmt-nfkc.js';
import { NMT_NFKC_CHARSMAP_GZIP_BASE64 } from './charsmaps/nmt-nfkc.js';

export type CharsmapName = 'nmt_nfkc' | 'albert_nmt_nfkc';

const cache = new Map<CharsmapName, Promise<Uint8Array>>();

/** `nmt_nfkc`: SentencePiece 0.1.97's; `albert_nmt_nfkc`: the one inside ALBERT's released model. */
export function loadCharsmap(name: CharsmapName): Promise<Uint8Array> {
  let bytes = cache.get(name);
  if (bytes === undefined) {
    bytes = gunzipBase64(name === 'nmt_nfkc' ? NMT_NFKC_CHARSMAP_GZIP_BASE64 : ALBERT_CHARSMAP_GZIP_BASE64);
    cache.set(name, bytes);
  }
  return bytes;
}

async function gunzipBase64(b64: string): Promise<Uint8Array> {
  const bin = atob(b64);
  const gz = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) gz[i] = bin.charCodeAt(i);
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
