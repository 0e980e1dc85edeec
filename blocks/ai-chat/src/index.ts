import { AiChatBlock } from './ai-chat-block.js';

// The embedder defines the element under the tag name in block-metadata.json.
export default AiChatBlock;
