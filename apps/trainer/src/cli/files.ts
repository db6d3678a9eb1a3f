// Checks on user-given paths, so a typo is reported as "no such file" before any work starts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AlbertTokenizer, type AlbertTokenizerOptions } from '@albert-ts/tokenizer';
import { tokenizerOptionsFromConfig } from 'albert-ts';
import { InputFileError } from '../errors.js';

/** Throws InputFileError unless `path` is a readable regular file. `what` names it for the message. */
export function requireFile(path: string, what: string): string {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s == null)
    throw new InputFileError(
      `${what} '${path}' does not exist. Check the path (relative paths start at ${process.cwd()}).`,
    );
  if (!s.isFile()) throw new InputFileError(`${what} '${path}' is not a file.`);
  return path;
}

/** Throws InputFileError unless `path` is a folder. */
export function requireFolder(path: string, what: string): string {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s == null)
    throw new InputFileError(
      `${what} '${path}' does not exist. Check the path (relative paths start at ${process.cwd()}).`,
    );
  if (!s.isDirectory()) throw new InputFileError(`${what} '${path}' is not a folder.`);
  return path;
}

/** The spiece.model of `path`: the file itself, or `<folder>/spiece.model`. */
export function spieceModelPath(path: string): string {
  const s = statSync(path, { throwIfNoEntry: false });
  if (s?.isDirectory() === true) return requireFile(`${path.replace(/\/$/, '')}/spiece.model`, 'tokenizer model');
  return requireFile(path, 'tokenizer model');
}

/** The bytes of the tokenizer a model folder is used with: `given` (--tokenizer), else `<folder>/spiece.model`. */
export function readFolderSpiece(folder: string, given?: string): Uint8Array {
  const path = requireFile(given ?? join(folder, 'spiece.model'), 'tokenizer model (spiece.model; pass --tokenizer)');
  return new Uint8Array(readFileSync(path));
}

/**
 * How a model folder's tokenizer is configured: tokenizer_config.json (do_lower_case, keep_accents,
 * remove_space, special tokens, model_max_length) with special_tokens_map.json on top, read as
 * Hugging Face reads them; {} (ALBERT's defaults) when the folder has neither.
 */
export function readFolderTokenizerOptions(folder: string): AlbertTokenizerOptions {
  const json = (name: string) => {
    const path = join(folder, name);
    if (!existsSync(path)) return {};
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new InputFileError(`${path} is not valid JSON (${(e as Error).message}); fix or delete it.`);
    }
  };
  return tokenizerOptionsFromConfig(json('tokenizer_config.json'), json('special_tokens_map.json'));
}

/** The tokenizer of a model folder: its spiece.model (or `given`) with its tokenizer_config.json's flags. */
export function readFolderTokenizer(folder: string, given?: string): AlbertTokenizer {
  return AlbertTokenizer.fromBytes(readFolderSpiece(folder, given), readFolderTokenizerOptions(folder));
}
