/**
 * What a Node process needs that builds the page or talks to a page run elsewhere (the CLI's kept
 * browser), without loading puppeteer: importing the package's index costs ~0.4 s of start-up.
 */
export { buildPageBundle, pageModulePath, pageSourceHash } from './bundle.ts';
export { decodeValue, encodeValue } from './transfer.ts';
