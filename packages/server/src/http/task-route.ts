// POST /v1/<task>: Hugging Face's Inference API shape, { inputs, parameters } → the results in the
// API's JSON (hf-output.ts; one result for one input, an array for an array).
import type { FastifyInstance } from 'fastify';
import { infer, type ServerContext } from '../context.js';
import { HF_OUTPUT } from '../tasks/hf-output.js';

interface TaskBody {
  inputs: unknown;
  parameters?: Record<string, unknown>;
}

export function registerTaskRoute(app: FastifyInstance, ctx: ServerContext): void {
  const { adapter, options } = ctx;
  const output = HF_OUTPUT[adapter.task];
  app.post<{ Body: TaskBody }>(
    `/v1/${adapter.task}`,
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            inputs: adapter.inputsSchema(options.maxInputs),
            parameters: adapter.parameters,
            // Hugging Face clients may send { options: { wait_for_model, use_cache } }: accepted, nothing to do
            options: { type: 'object' },
          },
          required: ['inputs'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const { items, single } = adapter.inputs(request.body.inputs);
      const callOptions = adapter.options(request.body.parameters);
      const { results } = await infer(ctx, request, reply, items, callOptions);
      return single ? output(results[0]) : results.map(output);
    },
  );
}
