export { SafetensorsFile } from './reader.ts';
export { writeSafetensors, type TensorToWrite } from './writer.ts';
export {
  parseHeader,
  SafetensorsError,
  MAX_HEADER_BYTES,
  type TensorEntry,
  type SafetensorsHeader,
} from './header.ts';
export { DTYPE_SIZES, type Dtype, type FloatDtype } from './dtypes.ts';
export { halfToFloat, floatToHalf, floatToBfloat16 } from '../float16.ts';
