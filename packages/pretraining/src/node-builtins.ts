// Node built-ins loaded on first use, so the package (masking, SOP, heads, TFRecord encoding) also
// bundles for the browser; only the file functions need Node.
export async function nodeFs(): Promise<typeof import('node:fs/promises')> {
  return import('node:fs/promises');
}

export async function nodePath(): Promise<typeof import('node:path')> {
  return import('node:path');
}
