// Replaces import-connect-form.ts in the blocks' main files (scripts/vite-block-config.mjs): the
// form is not bundled there but imported from the runtime assets when a person opens it.
import { importModule, runtimeAssetUrl } from '@ai-blocks/runtime';
import type { ConnectFormModule } from './import-connect-form.js';

export type { ConnectFormModule } from './import-connect-form.js';

/** Imports `<runtime assets>/connect-form.js`, built by scripts/build-runtime-assets.mjs. */
export const importConnectForm = (): Promise<ConnectFormModule> =>
  importModule<ConnectFormModule>(runtimeAssetUrl('connect-form.js'));
