export { renderLoadProgress } from './load-progress.js';
export { renderProvenanceLine, type ProvenanceLine } from './provenance-line.js';
export { renderSaveStatus, type SaveStatusLabels, type SaveStatusState } from './save-status.js';
export { copyText, renderCopyButton } from './copy-text.js';
export { renderHubPreview } from './hub-preview.js';
