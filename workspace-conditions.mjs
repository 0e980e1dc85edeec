// Inside this repository, workspace packages resolve to their TypeScript sources through the
// `@ai-blocks/source` export condition; outside it (installed from a tarball) they resolve to
// the built JavaScript and declarations in dist/. Every tool that resolves them names it.
import { defaultClientConditions, defaultServerConditions } from 'vite';

export const SOURCE_CONDITION = '@ai-blocks/source';

/** Vite/Vitest `resolve` and `ssr.resolve` settings that prefer the workspace sources. */
export const sourceResolve = {
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
};
