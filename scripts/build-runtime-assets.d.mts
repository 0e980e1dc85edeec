/** Writes every runtime asset into `<outDir>/runtime-assets/` (default outDir: dist); returns that folder. */
export declare function buildRuntimeAssets(options?: { outDir?: string }): Promise<string>;
/** Writes the runtime modules a main file imports on demand into `target`; returns their paths relative to it. */
export declare function buildRuntimeModules(target: string): Promise<string[]>;
