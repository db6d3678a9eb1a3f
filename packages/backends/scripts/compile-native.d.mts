// Types for compile-native.mjs.
export declare function findNodeGyp(env?: NodeJS.ProcessEnv): string | undefined;
export declare function compileNative(
  dir: string,
  options?: { env?: NodeJS.ProcessEnv; forceFail?: boolean },
): { ok: boolean; addon?: string; seconds: number; log: string; reason?: string; nodeGyp?: string };
