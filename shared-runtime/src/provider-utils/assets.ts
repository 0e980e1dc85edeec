import { AiError, AiErrorCode } from '../interface/errors.js';

/**
 * Where the runtime's heavy assets (the local engines' implementations, model downloads,
 * wllama's module and wasm, web-llm, the highlighter) are loaded from. They are never bundled
 * into a block's main file. The build fixes a default
 * (`__AI_BLOCKS_ASSET_BASE__`); a host overrides it by setting
 * `globalThis.AI_BLOCKS_ASSET_BASE_URL` before the block loads.
 */
declare const __AI_BLOCKS_ASSET_BASE__: string | undefined;

/** The absolute base URL of the runtime assets, ending in `/`. */
export function runtimeAssetBaseUrl(): string {
  const fromHost = (globalThis as { AI_BLOCKS_ASSET_BASE_URL?: unknown }).AI_BLOCKS_ASSET_BASE_URL;
  const fromBuild = typeof __AI_BLOCKS_ASSET_BASE__ === 'string' ? __AI_BLOCKS_ASSET_BASE__ : undefined;
  const base = (typeof fromHost === 'string' ? fromHost : undefined) ?? fromBuild ?? '/runtime-assets/';
  const page = (globalThis as { location?: { href: string } }).location?.href;
  const absolute = page ? new URL(base, page).href : base;
  return absolute.endsWith('/') ? absolute : `${absolute}/`;
}

/** The absolute URL of one runtime asset. */
export function runtimeAssetUrl(path: string): string {
  return new URL(path, runtimeAssetBaseUrl()).href;
}

/**
 * Imports an ES module by absolute URL, also from code evaluated with `new Function` (where
 * bundlers must not rewrite the import).
 */
export function importModule<T>(url: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ url) as Promise<T>;
}

/** An engine's asset base (its `assetBaseUrl` setting, else the runtime's), absolute and ending in `/`. */
export function assetBaseFor(assetBaseUrl: string | undefined): string {
  if (!assetBaseUrl) return runtimeAssetBaseUrl();
  const absolute = new URL(assetBaseUrl, (globalThis as { location?: { href: string } }).location?.href).href;
  return absolute.endsWith('/') ? absolute : `${absolute}/`;
}

/**
 * Imports the implementation half of a light factory: in a block's main file a runtime asset
 * (the `*.main-file.ts` loaders), from source an ordinary module. One that cannot be reached,
 * or that lacks the `expected` exports (an asset from another release), is ENGINE_UNAVAILABLE
 * saying `what` could not be loaded; the next call tries again.
 */
export async function importImplementation<T extends object>(
  load: () => Promise<T>,
  what: string,
  assetUrl: string,
  expected: (keyof T & string)[],
): Promise<T> {
  let module: T;
  try {
    module = await load();
  } catch (error) {
    throw new AiError(AiErrorCode.ENGINE_UNAVAILABLE, `${what} could not be loaded from ${assetUrl}`, { cause: error });
  }
  const missing = expected.filter((name) => typeof module[name] !== 'function');
  if (missing.length)
    throw new AiError(
      AiErrorCode.ENGINE_UNAVAILABLE,
      `${what} could not be loaded: ${assetUrl} is from another release (it lacks ${missing.join(', ')})`,
    );
  return module;
}
