export * from './api-error.js';
export * from './post-with-retry.js';
export * from './retry-policy.js';
export * from './sse.js';
export * from './bytes.js';
export * from './assets.js';
export * from './download-limits.js';
export * from './model-cache.js';
export * from './read-body.js';
export { ownValue } from './own-value.js';
export { singleFlight } from './single-flight.js';
export {
  estimatedGpuMemoryBytes,
  gpuShortfall,
  type GpuLimits,
  type GpuNeeds,
  type GpuShortfall,
} from './gpu-support.js';
export * from './stream-items.js';
export * from './json-events.js';
export * from './openai-chunk-parts.js';
export { ignoredStopSequences } from './call-warnings.js';
export { reportedModelSchema } from './reported-model.js';
