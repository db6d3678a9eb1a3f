// Types for prebuilds.mjs (shared with the loader, src/native/addon.ts).
export declare const ADDON_FILE: string;
export declare const MANIFEST_FILE: string;

/** What scripts/prebuild.mjs writes beside a prebuilt addon (albert_native.json). */
export interface PrebuildManifest {
  name: string;
  platform: string;
  arch: string;
  sha256: string;
  bytes: number;
  sourceHash: string;
  napiVersion: number | null;
  nodeAddonApi: string;
  headers: string;
  requires: {
    glibc: string | null;
    glibcxx: string | null;
    glibcxxNeededBy: string[];
    cxxabi: string | null;
    libgcc: string | null;
    needed: string[];
  } | null;
  compiler: string;
  nodeGyp: string | null;
  isa: string;
  /** What the object-file disassembly check found (null without objdump). */
  isaCheck: string | null;
  builtOn: { node: string; isa: string; glibc: string | null };
  builtAt: string;
}

export type PrebuildCheck =
  | { file: string; manifest: PrebuildManifest; reason?: undefined; present?: undefined }
  | { file: string; manifest?: undefined; reason: string; present: boolean };

export declare function platformTag(platform?: string, arch?: string): string;
export declare function sha256File(file: string): string;
export declare function nativeSourceHash(nativeDir: string): string;
export declare function checkPrebuild(prebuildsDir: string, nativeDir: string): PrebuildCheck;
export declare function compareVersions(a: string, b: string): number;
export declare function loadsInChild(
  file: string,
): { info: { isa: string; threads: number }; reason?: undefined } | { info?: undefined; reason: string };
