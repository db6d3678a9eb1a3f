// Request `parameters` as Hugging Face's Inference API spells them (snake_case: top_k) or as the
// albert-ts pipelines do (camelCase: topK): one JSON schema accepts both, and `camelParameters`
// hands the pipeline its own names.

export type JsonSchema = Record<string, unknown>;

/** 'topK' → 'top_k' */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** 'top_k' → 'topK' */
export function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The schema of a `parameters` object whose properties (camelCase names) may come in either spelling. */
export function parametersSchema(properties: Record<string, JsonSchema>): JsonSchema {
  const both: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(properties)) {
    both[name] = schema;
    both[snakeCase(name)] = schema;
  }
  return { type: 'object', properties: both, additionalProperties: false };
}

/** `parameters` with camelCase names (both spellings of one name: the camelCase one wins). */
export function camelParameters(parameters: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (parameters == null) return out;
  for (const [name, value] of Object.entries(parameters)) {
    const camel = camelCase(name);
    if (camel !== name && Object.hasOwn(parameters, camel)) continue;
    out[camel] = value;
  }
  return out;
}

/** A string with at least one non-space character. */
export const TEXT: JsonSchema = { type: 'string', minLength: 1, pattern: '\\S' };

export const POSITIVE_INT: JsonSchema = { type: 'integer', minimum: 1 };

/** One item or a non-empty array of at most `maxInputs` of them. */
export function oneOrMany(item: JsonSchema, maxInputs: number): JsonSchema {
  return { anyOf: [item, { type: 'array', items: item, minItems: 1, maxItems: maxInputs }] };
}
