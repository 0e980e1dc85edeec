/**
 * @ai-blocks/persistence: the only code that writes to the Block Protocol graph. Typed calls
 * with timeouts, zod-validated reads (HASH's legacy AI block entities included), and a save
 * path that never loses the latest output, writes nothing twice (whatever the host's
 * queryEntities does) and asks before the page is left with work unsaved.
 */
export * from './block-entity-controller.js';
export * from './chat.js';
export * from './chat-settings.js';
export * from './chat-turn-queue.js';
export * from './embedder-watch.js';
export * from './entity-match.js';
export * from './find-entity.js';
export * from './graph-client.js';
export * from './graph-error.js';
export * from './image-block.js';
export * from './provenance.js';
export * from './read-properties.js';
export * from './retry-schedule.js';
export * from './saver.js';
export * from './subgraph.js';
export * from './text-block.js';
export * from './unload-guard.js';
export * from './write-ledger.js';
