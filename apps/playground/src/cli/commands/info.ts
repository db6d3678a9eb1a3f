// albert info [model] — config, parameter count by part, the shared-layer layout, file sizes and
// the backend report.
import { AlbertError } from 'albert-ts';
import { Command } from 'commander';
import { ModelLoadError } from '../../errors.js';
import { type ModelInfo, modelInfo } from '../../info/model-info.js';
import { chooseModel } from '../../models/choose-model.js';
import { backendOption, type CommonOptions, printNotice, withCommonOptions } from '../options.js';
import { bytes, table, thousands } from '../table.js';

function ranges(indices: number[]): string {
  const parts: string[] = [];
  for (let k = 0; k < indices.length; k++) {
    const start = indices[k] as number;
    while (k + 1 < indices.length && indices[k + 1] === (indices[k] as number) + 1) k++;
    parts.push(start === indices[k] ? `${start}` : `${start}–${indices[k]}`);
  }
  return parts.join(', ');
}

export function formatInfo(info: ModelInfo): string {
  const p = info.parameters;
  const pct = (n: number) => `${((100 * n) / p.total).toFixed(1)}%`;
  const sections = [
    `model       ${info.source}`,
    `class       ${info.architecture}`,
    `backend     ${info.backend.summary}`,
    '',
    table(
      ['file', 'size'],
      info.files.map((f) => [f.name, bytes(f.bytes)]),
      ['left', 'right'],
    ),
    '',
    table(
      ['config', 'value'],
      Object.entries(info.config).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
    ),
    '',
    `tokenizer   ${info.tokenizer.file}, ${thousands(info.tokenizer.vocabSize)} pieces, ` +
      `model_max_length ${info.tokenizer.modelMaxLength ?? 'not set'}`,
    '',
    table(
      ['parameters', 'count', 'share'],
      [
        ['embeddings (V+P+T)×E', thousands(p.embeddings), pct(p.embeddings)],
        ['projection E→H', thousands(p.projection), pct(p.projection)],
        ...p.groups.map((n, g) => [`group ${g}`, thousands(n), pct(n)]),
        ['pooler', thousands(p.pooler), pct(p.pooler)],
        ['task head', thousands(p.head), pct(p.head)],
        ['total (unique)', thousands(p.total), '100%'],
        ['if no layer were shared', thousands(p.unshared), `${(p.unshared / p.total).toFixed(2)}×`],
      ],
      ['left', 'right', 'right'],
    ),
    '',
    `shared-layer layout: ${info.applications.length} layer applications run ${info.groups.length} group(s) of ` +
      `${info.groups[0]?.innerLayers ?? 0} layer(s)`,
    table(
      ['group', 'applications', 'weights'],
      info.groups.map((g) => [
        String(g.group),
        ranges(g.applications),
        `albert.encoder.albert_layer_groups.${g.group}.albert_layers.{0…${g.innerLayers - 1}}`,
      ]),
      ['right', 'left', 'left'],
    ),
  ];
  return sections.join('\n');
}

export function infoCommand(): Command {
  return withCommonOptions(new Command('info'))
    .description(
      'what a model holds: files, config, tokenizer, parameters by part, the shared-layer layout, the backend',
    )
    .argument('[model]', 'a model folder, URL or hub id (default: the embedded default model; same as --model)')
    .action(async (positional: string | undefined, options: CommonOptions) => {
      const choice = await chooseModel('fill-mask', positional ?? options.model, 'info');
      printNotice(choice);
      let info: ModelInfo;
      try {
        info = await modelInfo(choice.model, backendOption(options));
      } catch (err) {
        if (!(err instanceof AlbertError)) throw err;
        throw new ModelLoadError(`cannot read the model ${choice.name}: ${err.message}`, { cause: err });
      }
      process.stdout.write(options.json ? `${JSON.stringify(info)}\n` : `${formatInfo(info)}\n`);
    });
}
