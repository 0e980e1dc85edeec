export { onCtrlEnter, renderSamplingControls, type SamplingValues } from './sampling-controls.js';
