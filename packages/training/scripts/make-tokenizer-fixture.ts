// Writes test/fixtures/gutenberg-1k.model: a 1000-piece ALBERT-style SentencePiece unigram model
// trained by @albert-ts/tokenizer on test/fixtures/gutenberg-train-slice.txt (the pretraining test and
// the README use it, so they do not train a tokenizer every run).
// Run: node --conditions=@albert-ts/source --import tsx scripts/make-tokenizer-fixture.ts
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { trainUnigramFromFiles } from '@albert-ts/tokenizer';

const fixtures = new URL('../test/fixtures/', import.meta.url);
const { bytes, stats } = await trainUnigramFromFiles([fileURLToPath(new URL('gutenberg-train-slice.txt', fixtures))], {
  preset: 'albert',
  vocabSize: 1000,
});
writeFileSync(new URL('gutenberg-1k.model', fixtures), bytes);
console.log(`gutenberg-1k.model: ${bytes.length} bytes, ${stats.sentences} sentences, ${stats.words} words`);
