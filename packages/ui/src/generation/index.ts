export * from './generation-controller.js';
export { runProvenance, type RunProvenance } from './run-provenance.js';
