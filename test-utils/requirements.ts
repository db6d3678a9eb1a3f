// What a test needs from the machine (a program, a Python module, the native addon), and what
// happens when it is missing: under CI=true the run FAILS with a line naming what to install;
// locally the tests are skipped and the reason is printed once. No test passes without testing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export const IN_CI: boolean = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/**
 * ALBERT_TS_TEST_HIDE=chromium,numpy,sentencepiece,native makes the tests behave as on a machine
 * without those (to show what CI prints there); nothing else reads it.
 */
const HIDDEN = new Set((process.env.ALBERT_TS_TEST_HIDE ?? '').split(',').map((s) => s.trim()));
export function hiddenForTest(name: string): boolean {
  return HIDDEN.has(name);
}

export type Requirement = {
  /** What is needed, e.g. 'Debian chromium'. */
  name: string;
  available: boolean;
  /** Why it is missing (empty when available). */
  detail: string;
  /** How to get it, e.g. 'apt-get install chromium'. */
  install: string;
};

export const PYTHON = '/usr/bin/python3';

/** A Python 3 that can import every module in `modules`. */
export function pythonModules(modules: string[], install: string): Requirement {
  const hidden = modules.find(hiddenForTest);
  const probe = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  const available = probe.status === 0 && hidden == null;
  const detail =
    hidden != null
      ? `hidden by ALBERT_TS_TEST_HIDE=${hidden}`
      : available
        ? ''
        : (probe.stderr?.trim().split('\n').pop() ?? String(probe.error ?? 'not found'));
  return { name: `${PYTHON} with ${modules.join(', ')}`, available, detail, install };
}

export const CHROMIUM_PATH = '/usr/bin/chromium';

const chromiumHere = existsSync(CHROMIUM_PATH) && !hiddenForTest('chromium');
export const chromiumRequirement: Requirement = {
  name: `Debian chromium (${CHROMIUM_PATH})`,
  available: chromiumHere,
  detail: chromiumHere
    ? ''
    : hiddenForTest('chromium')
      ? 'hidden by ALBERT_TS_TEST_HIDE=chromium'
      : `${CHROMIUM_PATH} does not exist`,
  install: 'apt-get install chromium',
};

/** One line naming what is missing and how to install it. */
export function missingMessage(req: Requirement): string {
  return `${req.name} is missing (${req.detail}); install it: ${req.install}`;
}

const announced = new Set<string>();

/**
 * `describe(title, body)` when `req` is available. Otherwise: under CI one failing test that says
 * what to install; locally a skipped suite and a printed reason.
 */
export function describeWith(req: Requirement, title: string, body: () => void): void {
  if (req.available) {
    describe(title, body);
    return;
  }
  if (IN_CI) {
    describe(title, () => {
      it(`needs ${req.name}`, () => {
        throw new Error(`CI=true: ${missingMessage(req)}`);
      });
    });
    return;
  }
  if (!announced.has(req.name)) {
    announced.add(req.name);
    console.warn(`SKIPPED (local run): ${missingMessage(req)}`);
  }
  describe.skip(title, body);
}

/** `it(title, fn)` under the same rule as describeWith. */
export function itWith(req: Requirement, title: string, fn: () => unknown, timeout?: number): void {
  if (req.available) {
    it(title, fn, timeout);
    return;
  }
  if (IN_CI) {
    it(`${title} (needs ${req.name})`, () => {
      throw new Error(`CI=true: ${missingMessage(req)}`);
    });
    return;
  }
  if (!announced.has(req.name)) {
    announced.add(req.name);
    console.warn(`SKIPPED (local run): ${missingMessage(req)}`);
  }
  it.skip(title, fn, timeout);
}
