// Runs original_sop_counts.py (an independent Python re-implementation of google-research/albert
// create_pretraining_data.py's create_instances_from_document, counting only) on documents given
// as their segments' lengths.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PYTHON, pythonModules } from '../../../../test-utils/requirements.js';

export const pythonForReference = pythonModules(['json', 'random'], 'apt-get install python3');

const SCRIPT = fileURLToPath(new URL('./original_sop_counts.py', import.meta.url));

export interface DupeCounts {
  instances: number;
  /** Chunks of one segment: B from a random other document, label 1. */
  borrowed: number;
  /** Chunks of two or more segments whose A and B were swapped (label 1). */
  swapped: number;
  /** Borrowed chunks whose one segment has one token ('split' mode makes no example of these). */
  single_one_token: number;
}

export interface OriginalCounts {
  per_dupe: DupeCounts[];
  /** Summed over dupes: instances of document d that borrowed B. */
  borrowed_by_document: number[];
  /** Summed over dupes: how often document d lent B. */
  lent_by_document: number[];
}

export function originalCounts(spec: {
  documents: number[][];
  max_seq_length: number;
  short_seq_prob: number;
  dupe_factor: number;
  seed: number;
}): OriginalCounts {
  const run = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(spec), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`original_sop_counts.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as OriginalCounts;
}

/** Mean and (sample) standard deviation of one count over the dupes. */
export function meanSd(per: DupeCounts[], f: (d: DupeCounts) => number): { mean: number; sd: number } {
  const xs = per.map(f);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, sd: Math.sqrt(variance) };
}
