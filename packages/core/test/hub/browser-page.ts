// Runs in chromium (bundled by browser.test.ts): safetensors from an ArrayBuffer, fetchSafetensors,
// and a hub id opened without a disk cache (redirect to the CDN followed by the browser).
import { HubError, openModelSource } from '../../src/hub/index.js';
import {
  fetchSafetensors,
  parseSafetensors,
  SafetensorsError,
  serializeSafetensors,
} from '../../src/safetensors/index.js';

async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const buffer = await (await fetch('/static/model.safetensors')).arrayBuffer();
  const file = parseSafetensors(buffer);
  out.count = file.tensors.size;
  const bias = file.tensors.get('albert.embeddings.LayerNorm.bias')!;
  out.first = Array.from((bias.data as Float32Array).slice(0, 2));
  out.zeroCopy = bias.data.buffer === buffer;
  const again = serializeSafetensors(file.tensors, file.metadata);
  const original = new Uint8Array(buffer);
  out.identical = again.length === original.length && again.every((b, i) => b === original[i]);
  const half = parseSafetensors(
    serializeSafetensors([{ name: 'h', dtype: 'F16', shape: [2], data: new Float32Array([0.1, -3]) }]),
  );
  out.half = Array.from(half.tensors.get('h')!.data as Float32Array);
  try {
    parseSafetensors(original.subarray(0, 100));
  } catch (e) {
    out.truncated = [e instanceof SafetensorsError, (e as Error).message];
  }
  out.fetched = (await fetchSafetensors('/static/model.safetensors')).tensors.size;

  const source = await openModelSource('org/tiny', { endpoint: location.origin });
  out.description = source.description;
  out.configLength = (await source.readFile('config.json')).length;
  out.hubWeights = (await source.readSafetensors('model.safetensors')).tensors.size;
  out.hasMissing = await source.has('nope.json');
  try {
    await (await openModelSource('org/gated', { endpoint: location.origin })).readFile('config.json');
  } catch (e) {
    out.gated = [e instanceof HubError, (e as HubError).code, (e as HubError).status];
  }
  const authorized = await openModelSource('org/gated', { endpoint: location.origin, token: 'hf_good' });
  out.gatedWeights = (await authorized.readFile('model.safetensors')).length;
  return out;
}

run().then(
  (result) => Object.assign(window, { __io: result }),
  (error) => Object.assign(window, { __io: { error: String((error as Error)?.stack ?? error) } }),
);
