export * from './error-messages.js';
