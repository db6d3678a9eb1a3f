// POST /v1/embeddings in OpenAI's embeddings shape, for feature-extraction models, so OpenAI client
// libraries work unchanged: { input, model?, encoding_format?, dimensions?, user? } →
// { object: 'list', data: [{ object: 'embedding', index, embedding }], model, usage }.
// Each embedding is the model's pooled vector (mean over real tokens by default), L2-normalised.
import type { Features } from 'albert-ts';
import type { FastifyInstance } from 'fastify';
import { infer, type ServerContext } from '../context.js';
import { ServerError } from '../errors.js';
import { TEXT } from '../tasks/parameters.js';

interface EmbeddingsBody {
  input: string | string[];
  model?: string;
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
}

/** OpenAI's base64 format: the float32 values, little-endian, base64. */
function base64(data: Float32Array): string {
  const bytes = Buffer.alloc(data.length * 4);
  for (const [i, v] of data.entries()) bytes.writeFloatLE(v, i * 4);
  return bytes.toString('base64');
}

export function registerEmbeddingsRoute(app: FastifyInstance, ctx: ServerContext): void {
  const { maxInputs } = ctx.options;
  app.post<{ Body: EmbeddingsBody }>(
    '/v1/embeddings',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            input: {
              anyOf: [TEXT, { type: 'array', items: TEXT, minItems: 1, maxItems: maxInputs }],
              description: `a non-empty string or an array of 1 to ${maxInputs} of them (token-id arrays are not supported: send text)`,
            },
            model: { type: 'string' },
            encoding_format: { type: 'string', enum: ['float', 'base64'] },
            dimensions: { type: 'integer', minimum: 1 },
            user: { type: 'string' },
          },
          required: ['input'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const hidden = ctx.state() === 'ready' ? ctx.hiddenSize() : undefined;
      if (body.dimensions !== undefined && hidden !== undefined && body.dimensions !== hidden) {
        throw new ServerError(
          'bad-request',
          `body.dimensions is ${body.dimensions}, but this model's embeddings have ${hidden} dimensions; leave dimensions out or send ${hidden}`,
        );
      }
      const texts = typeof body.input === 'string' ? [body.input] : body.input;
      const { results, tokens } = await infer(ctx, request, reply, texts, {
        pooling: ctx.options.embeddingPooling,
        normalize: true,
      });
      return {
        object: 'list',
        data: (results as Features[]).map((f, index) => ({
          object: 'embedding',
          index,
          embedding: body.encoding_format === 'base64' ? base64(f.data) : Array.from(f.data),
        })),
        model: ctx.options.modelName,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      };
    },
  );
}
