/**
 * Where the runtime's heavy assets (wllama's module and wasm, web-llm, the highlighter) are
 * loaded from. They are never bundled into a block's main file. The build fixes a default
 * (`__AI_BLOCKS_ASSET_BASE__`); a host overrides it by setting
 * `globalThis.AI_BLOCKS_ASSET_BASE_URL` before the block loads, or code calls
 * `setRuntimeAssetBaseUrl`.
 */
declare const __AI_BLOCKS_ASSET_BASE__: string | undefined;

let configured: string | undefined;

/** Sets the base URL of the runtime assets (absolute, or relative to the page). */
export function setRuntimeAssetBaseUrl(url: string): void {
  configured = url;
}

/** The absolute base URL of the runtime assets, ending in `/`. */
export function runtimeAssetBaseUrl(): string {
  const fromHost = (globalThis as { AI_BLOCKS_ASSET_BASE_URL?: unknown }).AI_BLOCKS_ASSET_BASE_URL;
  const fromBuild = typeof __AI_BLOCKS_ASSET_BASE__ === 'string' ? __AI_BLOCKS_ASSET_BASE__ : undefined;
  const base = configured ?? (typeof fromHost === 'string' ? fromHost : undefined) ?? fromBuild ?? '/runtime-assets/';
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
