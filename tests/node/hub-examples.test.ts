// The block hub shows each block with its examples: a visitor's first Send must not start a
// download, and AI Chat restores the engine and model a conversation names.
import { BLOCK_METADATA, TYPE_IDS } from '@ai-blocks/block-metadata';
import { builtInCatalogue } from '@ai-blocks/runtime';
import { describe, expect, it } from 'vitest';

describe('hub examples', () => {
  it('AI Chat’s examples preselect no model that needs a download', () => {
    const metadata = BLOCK_METADATA['ai-chat'];
    const examples = [...metadata.examples, ...metadata.variants.flatMap((variant) => variant.examples)];
    expect(examples.length).toBeGreaterThan(0);
    const bundled = new Set(
      builtInCatalogue()
        .filter((model) => model.testModel)
        .map((model) => model.id),
    );
    for (const example of examples) {
      const modelId: unknown = (example as Record<string, unknown>)[TYPE_IDS.property['model-id']];
      if (typeof modelId === 'string') expect(bundled.has(modelId), `example preselects ${modelId}`).toBe(true);
    }
  });
});
