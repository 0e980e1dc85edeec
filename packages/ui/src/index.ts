/** @ai-blocks/ui: shared Lit templates, controllers and styles for the blocks (no custom elements). */
export * from './markdown/index.js';
export * from './generation/index.js';
export * from './errors/index.js';
export * from './outputs/index.js';
export * from './forms/index.js';
export { blockBaseStyles } from './styles/block-styles.js';
export * from './engine-picker/index.js';
export { safeImageUrl, safeLinkUrl } from './safe-url.js';
