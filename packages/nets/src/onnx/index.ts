export { importOnnx, OnnxImportError, type OnnxImport } from './import.ts';
export { OnnxNet } from './net.ts';
export { describeOnnxImageNet, type OnnxImageNet } from './describe.ts';
