// Where a value sits in a JSON text. JSON.parse is fast but forgets positions; when a reader finds a
// value of the wrong kind it walks the text once more, to this path only, to report line and column.

import { TaskDataError } from './errors.js';
import { lineColumn } from './text.js';

export type JsonPath = readonly (string | number)[];

/** Parses JSON; a syntax error becomes a TaskDataError with the line and column V8 reports. */
export function parseJson(text: string, file: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const m = /position (\d+)/.exec(message);
    const where = lineColumn(text, m === null ? text.length : Number(m[1]));
    throw new TaskDataError(
      { file, line: where.line + lineOffset, column: where.column },
      `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
    );
  }
}

/** Offset of the value at `path` (or of the deepest part of the path that exists) in valid JSON `text`. */
export function locateJsonPath(text: string, path: JsonPath): number {
  let pos = 0;
  const ws = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos] as string)) pos++;
  };
  const skipString = () => {
    pos++; // opening quote
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    pos++;
  };
  const skipValue = () => {
    ws();
    const c = text[pos];
    if (c === '"') return skipString();
    if (c === '{' || c === '[') {
      let depth = 0;
      do {
        const d = text[pos];
        if (d === '"') {
          skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        pos++;
      } while (depth > 0 && pos < text.length);
      return;
    }
    while (pos < text.length && !',}] \t\n\r'.includes(text[pos] as string)) pos++;
  };
  ws();
  for (const step of path) {
    const open = text[pos];
    const found = pos;
    if (open === '{' && typeof step === 'string') {
      pos++;
      let hit = false;
      for (ws(); text[pos] === '"'; ) {
        const keyStart = pos;
        skipString();
        const key = JSON.parse(text.slice(keyStart, pos)) as string;
        ws();
        pos++; // ':'
        ws();
        if (key === step) {
          hit = true;
          break;
        }
        skipValue();
        ws();
        if (text[pos] === ',') pos++;
        ws();
      }
      if (!hit) return found;
    } else if (open === '[' && typeof step === 'number') {
      pos++;
      ws();
      for (let i = 0; i < step && text[pos] !== ']'; i++) {
        skipValue();
        ws();
        if (text[pos] === ',') pos++;
        ws();
      }
      if (text[pos] === ']') return found;
    } else return found;
  }
  return pos;
}

/** A TaskDataError at the value `path` points to. */
export function jsonError(text: string, file: string, path: JsonPath, message: string, lineOffset = 0): TaskDataError {
  const where = lineColumn(text, locateJsonPath(text, path));
  const dotted = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
  return new TaskDataError(
    { file, line: where.line + lineOffset, column: where.column },
    `${dotted === '' ? '(top level)' : dotted.replace(/^\./, '')}: ${message}`,
  );
}
