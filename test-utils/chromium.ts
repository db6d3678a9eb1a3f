// Headless Debian chromium for the browser tests of every package, driven by playwright-core
// (playwright's own browser download does not work here). A fresh profile per launch; the
// background-networking flags keep chromium from dialling out of a machine with no network.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './requirements.js';

// Whether chromium is installed, and what happens when it is not: requirements.ts (chromiumRequirement).

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and deletes its profile folder. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /**
   * 'disabled' (default): --disable-gpu, what the tests run with (chromium still offers a
   * SwiftShader WebGL). 'swiftshader': no --disable-gpu, WebGL through ANGLE on SwiftShader in the
   * GPU process (--use-angle=swiftshader --enable-unsafe-swiftshader): software WebGL, for the
   * browser benchmark's webgl row on a machine without a GPU.
   */
  gpu?: 'disabled' | 'swiftshader';
}

export async function launchChromium(options: LaunchOptions = {}): Promise<Chromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'albert-ts-chromium-'));
  const gpu =
    options.gpu === 'swiftshader' ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu'];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      ...gpu,
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
