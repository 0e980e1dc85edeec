export * from './api-error.js';
export * from './post-with-retry.js';
export * from './retry-policy.js';
export * from './sse.js';
export * from './bytes.js';
export * from './assets.js';
export * from './model-download.js';
export { singleFlight } from './single-flight.js';
