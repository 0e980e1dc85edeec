export { EngineChoiceController, type ModelDownload } from './engine-choice-controller.js';
export { describeModelState, enginePickerStyles, renderEnginePicker } from './render-engine-picker.js';
export { listenForHostService } from './host-service.js';
