import type * as Implementation from './connect-form.js';

/** The exports of the runtime asset `connect-form.js` (connect-form.ts). */
export type ConnectFormModule = typeof Implementation;

/**
 * Imports the connect form as a module: the source build's way (tests, bundlers that split
 * chunks themselves). A block's main file is built with import-connect-form.main-file.ts instead,
 * which imports the runtime asset.
 */
export const importConnectForm = (): Promise<ConnectFormModule> => import('./connect-form.js');
