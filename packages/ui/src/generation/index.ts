export * from './generation-controller.js';
