/** The element types albert-ts reads and writes (a subset of the safetensors dtypes). */
export type SafetensorsDtype = 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I8' | 'U8' | 'BOOL';

/** The typed array a tensor's values live in: F32/F16/BF16 → Float32Array (F16/BF16 decoded on load). */
export type TensorData = Float32Array | Int32Array | Uint8Array | Int8Array | BigInt64Array;

export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  /** Row-major shape; `[]` is a scalar. */
  shape: number[];
  data: TensorData;
}

export interface SafetensorsFile {
  /** The `__metadata__` string map ({} when the file has none). */
  metadata: Record<string, string>;
  /** Tensors by name, in file (data offset) order. */
  tensors: Map<string, TensorEntry>;
}

/** One validated header entry: where a tensor's bytes are, counted from the start of the data section. */
export interface HeaderEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Byte length of the JSON header (the u64 at the start of the file). */
  headerLength: number;
  /** Where the data section starts in the file: 8 + headerLength. */
  dataStart: number;
  metadata: Record<string, string>;
  /** Entries sorted by data offset; together they cover the data section exactly. */
  entries: HeaderEntry[];
}
