export { EngineChoiceController, type ModelDownload } from './engine-choice-controller.js';
export { describeModelState, enginePickerStyles, renderEnginePicker } from './render-engine-picker.js';
export { listenForHostService } from './host-service.js';
export { ImageEngineChoiceController } from './image-engine-choice-controller.js';
export type { EnginePicking, PickerModel } from './render-engine-picker.js';
export { DOWNLOAD_CONSENT_BYTES, DownloadConsent, renderDownloadConsent } from './download-consent.js';
export { DeleteConfirmation } from './delete-confirmation.js';
