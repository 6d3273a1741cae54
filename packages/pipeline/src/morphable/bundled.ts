/** Where the compact ICT head shipped with this package lives (models/ict-head/), beside src/. */
const HEAD_MODEL_DIR = '../../models/ict-head/';

/**
 * The folder URL of the bundled head model, relative to this module: a file: URL in Node, the dev
 * server's URL in the page. Built apps copy the folder and pass their own URL (ReconstructOptions.assets).
 */
export function bundledHeadModelUrl(): URL {
  // A variable, not a literal: bundlers rewrite `new URL('literal', import.meta.url)` as one asset
  // file, and this is a folder.
  return new URL(HEAD_MODEL_DIR, import.meta.url);
}
