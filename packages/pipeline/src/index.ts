export { decodeImage, encodePng, rgbaToRgbFloat, rgbFloatToRgba, type RgbaImage } from './image/codec.ts';
