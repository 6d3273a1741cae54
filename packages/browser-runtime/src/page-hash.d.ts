/** The page path a module has under either server: '/' + its path inside the repository. */
export function pageModulePath(file: string): string;
/** A hash of everything a built page is made of; any edit gives a new bundle. */
export function pageSourceHash(modules: readonly string[]): string;
