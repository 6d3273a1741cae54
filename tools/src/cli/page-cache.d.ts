/** Where the CLI keeps its built page, Chromium profile and pipeline lists: AVATARME_CACHE_DIR, or the XDG cache. */
export function cacheDir(): string;
/** Every module the CLI runs in the page: the built page holds exactly these. */
export function cliPageModules(): string[];
