import { loadBlock } from './load-block.js';

// Placeholder page: loads the three built blocks the HASH way. The full host (entity store,
// graph module, service module, panels) comes with the Block Protocol layer.
const blockNames = ['ai-text', 'ai-image', 'ai-chat'];
const container = document.getElementById('blocks');

for (const name of blockNames) {
  const slot = document.createElement('div');
  slot.className = 'block-slot';
  container?.append(slot);
  try {
    const { tagName } = await loadBlock(`/blocks/${name}/block-metadata.json`);
    slot.append(document.createElement(tagName));
  } catch (error) {
    slot.textContent = `Could not load ${name}: ${String(error)}`;
  }
}
