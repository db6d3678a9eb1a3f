// The browser page of tokenizer.test.ts: AlbertTokenizer.fromPretrained and AutoTokenizer.fromPretrained
// on base URLs of the page's server (albert-30k/ with spiece.model, albert-30k-json/ with tokenizer.json).
import { AlbertTokenizer, AutoTokenizer, PipelineError } from '../../src/index.js';

const out: Record<string, unknown> = {};
try {
  const texts: string[] = await (await fetch('/texts.json')).json();
  const slow = await AlbertTokenizer.fromPretrained(`${location.origin}/albert-30k/`);
  const fast = await AutoTokenizer.fromPretrained(`${location.origin}/albert-30k-json/`);
  out.isAlbertTokenizer = slow instanceof AlbertTokenizer;
  out.modelMaxLength = [slow.modelMaxLength, fast.modelMaxLength];
  out.spiece = texts.map((t) => [...slow.encode(t).inputIds]);
  out.tokenizerJson = texts.map((t) => [...fast.encode(t).inputIds]);
  const refused = await AlbertTokenizer.fromPretrained(`${location.origin}/albert-30k-json/`).catch((e: unknown) => e);
  out.refused = refused instanceof PipelineError ? `${refused.code}: ${refused.message}` : String(refused);
} catch (e) {
  out.failure = e instanceof Error ? (e.stack ?? e.message) : String(e);
}
(window as unknown as { __result: unknown }).__result = out;
