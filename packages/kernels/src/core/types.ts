/** The activations the convolution epilogue fuses (relu6 is clamp to [0, 6]). */
export type Activation = 'linear' | 'relu' | 'leakyRelu' | 'prelu' | 'clamp' | 'relu6' | 'tanh' | 'sigmoid';

/** 'same' and 'valid' as in TF; a number n as PyTorch padding=n; or explicit [top, bottom, left, right]. */
export type Padding = 'same' | 'valid' | number | readonly [number, number, number, number];

/**
 * What fills a border: zeros, the mirrored pixel (the edge pixel itself not repeated, like PyTorch
 * ReflectionPad2d) or the nearest edge pixel.
 */
export type PadMode = 'zero' | 'reflect' | 'replicate';
