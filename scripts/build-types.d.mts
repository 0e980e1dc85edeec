/** The types base URL a build fixes: the one given, else $AI_BLOCKS_TYPES_BASE_URL, else the local default. */
export declare function typesBaseUrl(configured?: string): Promise<string>;
/** Writes every type schema into `<outDir>/types/` at the path of its `$id`; returns the ids. */
export declare function buildTypes(options?: { outDir?: string; baseUrl?: string }): Promise<string[]>;
/** Block metadata with its type URLs rewritten for a types base URL. */
export declare function rebaseMetadata<T>(metadata: T, baseUrl?: string): Promise<T>;
