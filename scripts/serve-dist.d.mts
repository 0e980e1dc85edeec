/** Serves `distDir` (default dist/) below `prefix` with CORS; `url` is where it is served, ending in `/`. */
export declare function startDistServer(options?: {
  distDir?: string;
  port?: number;
  host?: string;
  prefix?: string;
}): Promise<{ url: string; close(): Promise<void> }>;
