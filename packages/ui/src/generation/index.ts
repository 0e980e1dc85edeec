export * from './generation-controller.js';
export { runProvenance, type RunProvenance } from './run-provenance.js';
export * from './image-run-controller.js';
export { EscapeStopsController } from './escape-stops.js';
