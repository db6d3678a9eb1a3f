// albert embed "a rabbit" — one vector per text (mean or [CLS] pooling).
import type { Features, Pooling } from 'albert-ts';
import { Command, Option } from 'commander';
import { textInputs } from '../inputs.js';
import { type CommonOptions, emit, openPipeline, withCommonOptions } from '../options.js';

type EmbedOptions = CommonOptions & { pooling: Pooling; normalize?: boolean };

export function embedCommand(): Command {
  return withCommonOptions(new Command('embed'))
    .description('sentence vectors: the encoder output pooled over the tokens (--json prints the full vectors)')
    .argument('[texts...]', 'texts (default: stdin lines)')
    .addOption(new Option('-p, --pooling <kind>', 'pooling').choices(['mean', 'cls', 'none']).default('mean'))
    .option('-n, --normalize', 'scale each vector to unit length')
    .action(async (texts: string[], options: EmbedOptions) => {
      const inputs = await textInputs(texts, 'text', 'albert embed "a rabbit"');
      const embed = await openPipeline('feature-extraction', options, {
        pooling: options.pooling,
        normalize: options.normalize === true,
      });
      const features = (await embed(inputs)) as Features[];
      embed.dispose();
      const outputs = features.map((f) => ({ dims: f.dims, data: Array.from(f.data) }));
      emit(options, inputs, outputs, (input, f) => {
        const norm = Math.sqrt(f.data.reduce((s, x) => s + x * x, 0));
        const head = f.data.slice(0, 8).map((x) => x.toFixed(4));
        return `${input}\n  dims [${f.dims.join(', ')}]  norm ${norm.toFixed(4)}\n  [${head.join(', ')}${f.data.length > 8 ? ', …' : ''}]`;
      });
    });
}
