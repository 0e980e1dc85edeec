// `npm run build`: every block into dist/blocks/<block>/, and the host page into dist/host/.
import { buildBlocks } from './build-blocks.mjs';
import { buildHost } from './build-host.mjs';
import { buildRuntimeAssets } from './build-runtime-assets.mjs';

const blocks = await buildBlocks();
for (const block of blocks) {
  console.log(`built ${block.name}: ${(block.bytes / 1024).toFixed(1)} KiB → ${block.sourcePath}`);
}
await buildHost();
console.log('built host page → dist/host/');
console.log(`built runtime assets → ${await buildRuntimeAssets()}`);
