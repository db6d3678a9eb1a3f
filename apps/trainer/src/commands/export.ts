// `albert-train export`: a checkpoint (or a run folder: its best/ model, else its newest checkpoint)
// → a clean Hugging Face model folder: config.json with `architectures`, model.safetensors (HF
// tensor names and layout, tied weights left out, optionally float16), spiece.model and
// tokenizer_config.json (and, with --tokenizer-json, the Hugging Face fast tokenizer's tokenizer.json)
// — none of the resume state (optimizer, trainer, data, RNG files).
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AnyTaskModel,
  parseSafetensors,
  serializeSafetensors,
  taskModelArchitectures,
  taskModelClass,
} from '@albert-ts/core';
import '@albert-ts/heads'; // registers AlbertForSequenceClassification, … with core's registry
import '@albert-ts/pretraining'; // registers AlbertForPreTraining, AlbertForMaskedLM
import { Command } from 'commander';
import { readFolderSpiece, readFolderTokenizerOptions } from '../cli/files.js';
import {
  addBackendOption,
  addCommonOptions,
  type BackendFlags,
  type CommonFlags,
  int,
  startBackend,
} from '../cli/options.js';
import { reporter } from '../cli/output.js';
import { ConfigMismatchError, UsageError } from '../errors.js';
import { architectureOf, resolveModelFolder, writeTokenizerFiles, writeTokenizerJson } from '../model/model-folder.js';

export interface ExportFlags extends CommonFlags, BackendFlags {
  checkpoint: string;
  output: string;
  float16?: boolean;
  tokenizer?: string;
  modelMaxLength: number;
  /** Also write tokenizer.json: true or 'current' (transformers' current conversion) or 'legacy'. */
  tokenizerJson?: boolean | string;
}

export interface ExportSummary {
  source: string;
  output: string;
  architecture: string;
  parameters: number;
  tensors: number;
  dtype: 'float32' | 'float16';
  files: Record<string, number>;
}

export async function exportCommand(flags: ExportFlags): Promise<ExportSummary> {
  const out = reporter(flags);
  const jsonForm = flags.tokenizerJson == null || flags.tokenizerJson === false ? null : flags.tokenizerJson;
  if (jsonForm != null && jsonForm !== true && jsonForm !== 'current' && jsonForm !== 'legacy') {
    throw new UsageError(`--tokenizer-json takes 'current' or 'legacy' (got '${jsonForm}').`);
  }
  const folder = resolveModelFolder(flags.checkpoint);
  const architecture = architectureOf(folder);
  const cls = architecture == null ? undefined : taskModelClass(architecture);
  if (cls == null) {
    throw new ConfigMismatchError(
      `${folder}/config.json names architecture ${architecture ?? '(none)'}; export handles ${taskModelArchitectures().join(', ')}.`,
    );
  }
  const spiece = readFolderSpiece(folder, flags.tokenizer);
  await startBackend(flags);
  const warnings: string[] = [];
  const model: AnyTaskModel = await cls.fromPretrained(folder, { warn: (m) => warnings.push(m) });
  let files: Map<string, Uint8Array>;
  try {
    const missing = model.loadingInfo?.missingKeys ?? [];
    if (missing.length > 0) {
      throw new ConfigMismatchError(
        `${folder}: config.json says ${architecture} but model.safetensors lacks ${missing.slice(0, 5).join(', ')}` +
          `${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}; the config does not match the checkpoint.`,
      );
    }
    files = await model.toFiles();
  } finally {
    model.dispose();
  }
  const weights = parseSafetensors(files.get('model.safetensors') as Uint8Array);
  let parameters = 0;
  for (const e of weights.tensors.values()) parameters += e.shape.reduce((a, b) => a * b, 1);
  if (flags.float16 === true) {
    const entries = [...weights.tensors.values()].map((e) => (e.dtype === 'F32' ? { ...e, dtype: 'F16' as const } : e));
    files.set('model.safetensors', serializeSafetensors(entries, weights.metadata));
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as Record<string, unknown>;
    config.torch_dtype = 'float16';
    // keys sorted as save_pretrained writes them (a replacer array would also drop nested keys: id2label's)
    const sorted = Object.fromEntries(
      Object.keys(config)
        .sort()
        .map((k) => [k, config[k]]),
    );
    files.set('config.json', new TextEncoder().encode(`${JSON.stringify(sorted, null, 2)}\n`));
  }
  const existing = statSync(flags.output, { throwIfNoEntry: false });
  if (existing != null && !existing.isDirectory())
    throw new ConfigMismatchError(`--output ${flags.output} exists and is not a folder.`);
  rmSync(join(flags.output, 'model.safetensors'), { force: true });
  mkdirSync(flags.output, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(flags.output, name), bytes);
  const tokenizerFlags = readFolderTokenizerOptions(folder);
  writeTokenizerFiles(flags.output, spiece, flags.modelMaxLength, tokenizerFlags);
  const written = ['config.json', 'model.safetensors', 'spiece.model', 'tokenizer_config.json'];
  if (jsonForm != null) {
    writeTokenizerJson(flags.output, spiece, jsonForm === true ? 'current' : jsonForm, tokenizerFlags);
    written.push('tokenizer.json');
  }
  const summary: ExportSummary = {
    source: folder,
    output: flags.output,
    architecture: architecture as string,
    parameters,
    tensors: weights.tensors.size,
    dtype: flags.float16 === true ? 'float16' : 'float32',
    files: Object.fromEntries(written.map((f) => [f, statSync(join(flags.output, f)).size])),
  };
  out.summary(
    summary,
    (s) =>
      `exported ${s.architecture} (${s.parameters.toLocaleString('en')} parameters in ${s.tensors} tensors, ${s.dtype}) from ${s.source} to ${s.output}: ` +
      Object.keys(s.files).join(', '),
  );
  return summary;
}

export function exportCli(): Command {
  const command = new Command('export')
    .summary('a checkpoint → a clean Hugging Face model folder (optionally float16)')
    .description(
      'Writes a Hugging Face model folder that transformers (from_pretrained) and albert-ts load: config.json with ' +
        'architectures, model.safetensors with Hugging Face tensor names (tied decoder weights left out, as ' +
        'save_pretrained does), spiece.model and tokenizer_config.json. The checkpoint is loaded with the class its ' +
        'config.json names, so a config that does not match its weights is refused. Resume state is left behind.',
    )
    .requiredOption(
      '-c, --checkpoint <folder>',
      'a checkpoint folder, or a run folder (best/, else the newest checkpoint)',
    )
    .requiredOption('-o, --output <folder>', 'the model folder to write')
    .option('--float16', 'store the weights as float16 (half the size)')
    .option('-t, --tokenizer <path>', 'spiece.model (default: the one in the checkpoint)')
    .option('--model-max-length <n>', 'model_max_length in tokenizer_config.json', int('--model-max-length', 1), 512)
    .option(
      '--tokenizer-json [form]',
      "also write tokenizer.json, the Hugging Face fast tokenizer converted from spiece.model: 'current' (default; as " +
        "transformers converts today) or 'legacy' (no ( ) \" - . added tokens; closer to the slow tokenizer)",
    );
  addBackendOption(command);
  addCommonOptions(command);
  return command
    .addHelpText(
      'after',
      `
Example:
  $ albert-train export --checkpoint runs/sst2 --output models/albert-small-sst2 --float16
  then in Python: AlbertForSequenceClassification.from_pretrained('models/albert-small-sst2')`,
    )
    .action(async (flags: ExportFlags) => {
      await exportCommand(flags);
    });
}
