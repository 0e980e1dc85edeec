/** The export condition under which workspace packages resolve to their TypeScript sources. */
export declare const SOURCE_CONDITION: '@ai-blocks/source';
/** Vite/Vitest `resolve` and `ssr.resolve` settings that prefer the workspace sources. */
export declare const sourceResolve: {
  resolve: { conditions: string[] };
  ssr: { resolve: { conditions: string[] } };
};
