// safetensors: read (bytes, file, URL) with full header validation, and write (bytes, atomic file).
export { DTYPE_SIZE } from './dtypes.js';
export { SafetensorsError } from './errors.js';
export { readSafetensorsFile, writeSafetensorsFile } from './file.js';
export { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from './float16.js';
export { MAX_HEADER_LENGTH, parseHeader } from './header.js';
export { parseSafetensors } from './parse.js';
export { DEFAULT_METADATA, serializeSafetensors, type TensorsInput } from './serialize.js';
export type {
  HeaderEntry,
  SafetensorsDtype,
  SafetensorsFile,
  SafetensorsHeader,
  TensorData,
  TensorEntry,
} from './types.js';
export { fetchSafetensors } from './url.js';
