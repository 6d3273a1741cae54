// Networks assembled from imported weights (TF.js layers/graph models, PyTorch safetensors).
export {};
export * from './safetensors/index.ts';
export * from './pix2pixhd/index.ts';
export * from './graph-model/index.ts';
