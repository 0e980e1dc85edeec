import { AiTextBlock } from './ai-text-block.js';

// The embedder defines the element under the tag name in block-metadata.json.
export default AiTextBlock;
