import aiChat from '../ai-chat/block-metadata.json' with { type: 'json' };
import aiImage from '../ai-image/block-metadata.json' with { type: 'json' };
import aiText from '../ai-text/block-metadata.json' with { type: 'json' };

/** A property object keyed by property base URLs (a hub example). */
export type PropertyObject = Record<string, unknown>;

/** The Block Protocol block-metadata.json fields this project uses. */
export interface BlockMetadataJson {
  name: string;
  displayName: string;
  description: string;
  author: string;
  license: string;
  protocol: string;
  blockType: { entryPoint: 'custom-element'; tagName: string };
  schema: string;
  icon: string;
  image: string;
  examples: PropertyObject[];
  variants: { name: string; description: string; properties: PropertyObject; examples: PropertyObject[] }[];
  version?: string;
  source?: string;
}

/** The three blocks' metadata as checked in (the build adds `version` and `source`). */
export const BLOCK_METADATA: Record<'ai-text' | 'ai-image' | 'ai-chat', BlockMetadataJson> = {
  'ai-text': aiText as BlockMetadataJson,
  'ai-image': aiImage as BlockMetadataJson,
  'ai-chat': aiChat as BlockMetadataJson,
};

export type BlockName = keyof typeof BLOCK_METADATA;
