import { AiImageBlock } from './ai-image-block.js';

// The embedder defines the element under the tag name in block-metadata.json.
export default AiImageBlock;
