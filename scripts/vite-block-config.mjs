// The Vite configuration of a block's main file (scripts/build-blocks.mjs) and of the runtime modules
// a main file imports on demand: library mode, one file, no code-split chunks.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const rootDir = new URL('..', import.meta.url).pathname;
// Where `x.main-file.ts` variants may replace a module: the runtime and the shared UI.
const variantSources = [join(rootDir, 'shared-runtime', 'src'), join(rootDir, 'packages', 'ui', 'src')];

/** Workspace packages resolve to their sources; the production builds of Lit and the others. */
const productionConditions = ['@ai-blocks/source', 'module', 'browser', 'production'];

/**
 * In a main file, a runtime module `x.ts` with a sibling `x.main-file.ts` is built from that
 * sibling instead: how the local engines' implementation (and the connect form) become runtime
 * assets imported on demand (the import-*.main-file.ts loaders in shared-runtime/src and
 * packages/ui/src) while tests and source imports get the module itself.
 */
export function mainFileVariants() {
  return {
    name: 'ai-blocks-main-file-variants',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !variantSources.some((dir) => importer.startsWith(dir)) || !/^\.{1,2}\/.*\.js$/.test(source))
        return null;
      const variant = join(dirname(importer), source.replace(/\.js$/, '.main-file.ts'));
      return existsSync(variant) ? variant : null;
    },
  };
}

/**
 * The Vite config that builds `entry` into `<outDir>/<fileName>` as one file in `format`
 * ('cjs' for a block's main file, 'es' for a runtime module), with `define` fixed in.
 * `development` builds Lit's development mode (its warnings) with a source map, as the test host's page wants.
 * @param {{ entry: string, outDir: string, fileName: string, format: 'cjs' | 'es', minify?: boolean,
 *   define?: Record<string, string>, variants?: boolean, development?: boolean }} options
 * @returns {import('vite').InlineConfig}
 */
export function singleFileConfig({
  entry,
  outDir,
  fileName,
  format,
  minify = true,
  define = {},
  variants = true,
  development = false,
}) {
  return {
    configFile: false,
    root: rootDir,
    logLevel: 'warn',
    // Nothing from public/ or .env files: the build is the same on every machine.
    publicDir: false,
    envDir: false,
    mode: development ? 'development' : 'production',
    resolve: {
      conditions: development ? ['@ai-blocks/source', 'module', 'browser', 'development'] : productionConditions,
    },
    define: { 'process.env.NODE_ENV': development ? '"development"' : '"production"', ...define },
    plugins: variants ? [mainFileVariants()] : [],
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      minify: development ? false : minify,
      sourcemap: development,
      reportCompressedSize: false,
      lib: { entry, formats: [format], fileName: () => fileName },
      rolldownOptions: {
        output: {
          // One file: a host evaluates the main file alone, so nothing may be split off.
          codeSplitting: false,
          // exports.default = the element class, as Block Protocol hosts read it.
          exports: 'named',
          comments: { legal: true },
        },
      },
    },
  };
}
