// `npm run build`: every block into dist/blocks/<block>/, and the host page into dist/host/.
import { buildBlocks } from './build-blocks.mjs';
import { buildHost } from './build-host.mjs';
import { buildRuntimeAssets } from './build-runtime-assets.mjs';
import { buildTypes, typesBaseUrl } from './build-types.mjs';

const blocks = await buildBlocks();
for (const block of blocks) {
  console.log(`built ${block.name}: ${(block.bytes / 1024).toFixed(1)} KiB → ${block.sourcePath}`);
}
await buildHost();
console.log('built host page → dist/host/');
console.log(`built runtime assets → ${await buildRuntimeAssets()}`);
const types = await buildTypes();
console.log(`built ${types.length} type schemas → dist/types/ (base URL ${await typesBaseUrl()})`);
if (!process.env.AI_BLOCKS_TYPES_BASE_URL) {
  console.log('  (the local default, served by `npm start`; set AI_BLOCKS_TYPES_BASE_URL when publishing dist/)');
}
