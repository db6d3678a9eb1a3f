// One readable sentence from the JSON-schema errors of a request body (ajv, verbose): where the
// body went wrong and what was expected there, e.g.
//   body.inputs must be a non-empty string or an array of 1 to 64 of them (body.inputs[1] must be a string, got a number)

/** The fields of an ajv error this formatter reads (ajv runs with `verbose: true`: parentSchema and data). */
export interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  parentSchema?: Record<string, unknown>;
  data?: unknown;
}

/** '/inputs/1/text' → 'body.inputs[1].text' */
export function dataPath(dataVar: string, instancePath: string): string {
  return (
    dataVar +
    instancePath
      .split('/')
      .slice(1)
      .map((p) => {
        const key = p.replaceAll('~1', '/').replaceAll('~0', '~');
        return /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
      })
      .join('')
  );
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function got(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return article(typeof value);
}

function depth(e: SchemaError): number {
  return e.instancePath === '' ? 0 : e.instancePath.split('/').length - 1;
}

/** One error as a phrase about its value. */
export function describeError(e: SchemaError, dataVar: string): string {
  const where = dataPath(dataVar, e.instancePath);
  const p = e.params;
  switch (e.keyword) {
    case 'type': {
      const types = String(p.type).split(',');
      return `${where} must be ${types.map(article).join(' or ')}, got ${got(e.data)}`;
    }
    case 'required':
      return `${where} is missing '${String(p.missingProperty)}'`;
    case 'additionalProperties': {
      const allowed = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      return `${where} has an unknown property '${String(p.additionalProperty)}'${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ' (it takes none)'}`;
    }
    case 'minLength':
      return `${where} must be a non-empty string`;
    case 'pattern':
      if (p.pattern === '\\S') return `${where} must not be empty or only spaces`;
      if (p.pattern === '\\{\\}') return `${where} must contain {} where the label goes`;
      return `${where} must match ${String(p.pattern)}`;
    case 'minItems':
      return `${where} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems': {
      const n = Array.isArray(e.data) ? e.data.length : '?';
      return `${where} has ${n} items; at most ${String(p.limit)} are allowed in one request (send several requests)`;
    }
    case 'enum':
      return `${where} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(e.data)}`;
    case 'minimum':
      return `${where} must be ≥ ${String(p.limit)}, got ${JSON.stringify(e.data)}`;
    default:
      return `${where} ${e.message ?? `fails ${e.keyword}`}`;
  }
}

/** The message for a body that failed its schema. */
export function schemaMessage(errors: readonly SchemaError[], dataVar: string): string {
  // the deepest error; at equal depth one that is not about the value's type (an array with too
  // few items says more than "must be a string")
  const specific = [...errors]
    .filter((e) => e.keyword !== 'anyOf')
    .sort((a, b) => depth(b) - depth(a) || Number(a.keyword === 'type') - Number(b.keyword === 'type'))[0];
  const described = errors
    .filter((e) => e.keyword === 'anyOf' && typeof e.parentSchema?.description === 'string')
    .sort((a, b) => depth(a) - depth(b))[0];
  if (described !== undefined) {
    const expected = `${dataPath(dataVar, described.instancePath)} must be ${String(described.parentSchema?.description)}`;
    return specific === undefined ? expected : `${expected} (${describeError(specific, dataVar)})`;
  }
  if (specific !== undefined) return describeError(specific, dataVar);
  const first = errors[0];
  return first === undefined ? `${dataVar} is not valid` : describeError(first, dataVar);
}
