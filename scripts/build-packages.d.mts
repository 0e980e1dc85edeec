/** Package folders in the order they must build. */
export declare const PACKAGE_DIRS: readonly string[];
/** Builds each package (default: all) to dist/ with tsc; throws on the first failure. */
export declare function buildPackages(dirs?: readonly string[]): void;
