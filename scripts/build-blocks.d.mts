export declare const rootDir: string;
export interface BuiltBlock {
  name: string;
  metadataPath: string;
  sourcePath: string;
  bytes: number;
}
export interface BuildOptions {
  outDir?: string;
  minify?: boolean;
  /** Absolute URL of the published runtime assets, fixed into the build (default: $AI_BLOCKS_ASSET_BASE_URL). */
  assetBaseUrl?: string;
}
export declare function listBlocks(): Promise<string[]>;
export declare function buildBlock(name: string, options?: BuildOptions): Promise<BuiltBlock>;
export declare function buildBlocks(options?: BuildOptions): Promise<BuiltBlock[]>;
export declare const mainFileVariants: import('esbuild').Plugin;
