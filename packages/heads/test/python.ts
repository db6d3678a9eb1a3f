// What a test needs from the machine's Python, and what happens when it is missing: under CI=true
// the test FAILS saying what to install; locally it is skipped and the reason printed once.
// (The same contract as the repository's test-utils/requirements.ts once that lands.)
import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

export const PYTHON = '/usr/bin/python3';
const IN_CI = /^(1|true|yes)$/i.test(process.env.CI ?? '');

export type PythonModules = { available: boolean; detail: string; install: string; name: string };

export function pythonModules(modules: string[], install: string): PythonModules {
  const probe = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  const available = probe.status === 0;
  const detail = available ? '' : (probe.stderr?.trim().split('\n').pop() ?? String(probe.error ?? 'not found'));
  return { available, detail, install, name: `${PYTHON} with ${modules.join(', ')}` };
}

let announced = false;

/** it(title, fn) when the modules import; else a failing test under CI, a skipped one locally. */
export function itWithPython(req: PythonModules, title: string, fn: () => unknown, timeout?: number): void {
  const message = `${req.name} is missing (${req.detail}); install it: ${req.install}`;
  if (req.available) it(title, fn, timeout);
  else if (IN_CI) {
    it(`${title} (needs ${req.name})`, () => {
      throw new Error(`CI=true: ${message}`);
    });
  } else {
    if (!announced) console.warn(`SKIPPED (local run): ${message}`);
    announced = true;
    it.skip(title, fn, timeout);
  }
}
