// Types for isa-check.mjs.
export declare function checkObjectIsa(srcDir: string, objDir: string): string | null;
