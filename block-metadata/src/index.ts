/**
 * @ai-blocks/block-metadata: the blocks' metadata, the Block Protocol type schemas of
 * everything they store, and their zod mirrors. A leaf: imports nothing else of the project.
 */
export * from './block-metadata-files.js';
export * from './definition-texts.js';
export * from './definitions.js';
export * from './json-schemas.js';
export * from './type-ids.js';
export * from './urls.js';
export * from './zod-schemas.js';
