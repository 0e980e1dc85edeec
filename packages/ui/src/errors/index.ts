export * from './error-messages.js';
export { focusForErrorAction } from './focus-for-action.js';
