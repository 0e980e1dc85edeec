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
  /** Base URL of the type schemas, fixed into the build (default: $AI_BLOCKS_TYPES_BASE_URL, else the local one). */
  typesBaseUrl?: string;
}
export declare function listBlocks(): Promise<string[]>;
/** Writes a block's block-metadata.json (and icon, image) for a types base URL; returns its path. */
export declare function writeBlockMetadata(
  name: string,
  options?: { outDir?: string; typesBaseUrl?: string },
): Promise<string>;
export declare function buildBlock(name: string, options?: BuildOptions): Promise<BuiltBlock>;
export declare function buildBlocks(options?: BuildOptions): Promise<BuiltBlock[]>;
