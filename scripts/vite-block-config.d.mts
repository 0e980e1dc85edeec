import type { InlineConfig, Plugin } from 'vite';
/** Builds runtime modules `x.ts` from a sibling `x.main-file.ts` where there is one (block main files). */
export declare function mainFileVariants(): Plugin;
/** Vite library-mode config for one single-file output. */
export declare function singleFileConfig(options: {
  entry: string;
  outDir: string;
  fileName: string;
  format: 'cjs' | 'es';
  minify?: boolean;
  define?: Record<string, string>;
  variants?: boolean;
  development?: boolean;
}): InlineConfig;
