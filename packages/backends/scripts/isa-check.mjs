// Checks that a build's object files keep AVX code where the sources put it (see checkObjectIsa).
// Used by scripts/prebuild.mjs; a prebuild must run on any x86-64.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The flags are right; is the code? Disassembles every object file: those compiled from a source
 * without `#pragma GCC target` must hold no VEX/EVEX-encoded instruction (AVX, AVX2, FMA, AVX-512
 * mnemonics all start with "v"), and those with it must define no weak (COMDAT) function, which
 * the linker could pick over the baseline copy of the same inline function and so run AVX code
 * on a CPU without it. Returns a one-line summary for the manifest, or null without objdump;
 * throws an Error naming the object, function and instruction when the check fails.
 */
export function checkObjectIsa(srcDir, objDir) {
  const objects = readdirSync(objDir).filter((f) => f.endsWith('.o'));
  if (objects.length === 0) throw new Error(`no object files in ${objDir}`);
  let baseline = 0;
  let targeted = 0;
  for (const o of objects) {
    const source = readdirSync(srcDir).find((f) => f.replace(/\.[^.]+$/, '.o') === o);
    const pragma = source != null && /#pragma GCC target/.test(readFileSync(join(srcDir, source), 'utf8'));
    let text;
    try {
      text = pragma
        ? objdump(['-t', '-C', join(objDir, o)])
        : objdump(['-d', '-C', '--no-show-raw-insn', join(objDir, o)]);
    } catch {
      return null;
    }
    if (pragma) {
      targeted++;
      const weak = text.split('\n').find((l) => /^\S+\s+w\s.*\.text/.test(l));
      if (weak != null) {
        throw new Error(
          `${o} (compiled for a specific ISA) defines a weak function the linker may share: ${weak.trim()}`,
        );
      }
    } else {
      baseline++;
      let fn = '';
      for (const line of text.split('\n')) {
        const head = /^[0-9a-f]+ <(.*)>:$/.exec(line);
        if (head != null) fn = head[1] ?? '';
        else if (/^\s*[0-9a-f]+:\tv[a-z]/.test(line)) {
          throw new Error(`${o} (plain x86-64) holds an AVX instruction in ${fn}: ${line.trim()}`);
        }
      }
    }
  }
  return `objdump: no AVX/AVX-512 instruction in the ${baseline} objects built without #pragma GCC target; no weak functions in the ${targeted} built with it`;
}

function objdump(args) {
  return execFileSync('objdump', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
}
