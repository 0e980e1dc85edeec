export { renderSamplingControls, type SamplingValues } from './sampling-controls.js';
