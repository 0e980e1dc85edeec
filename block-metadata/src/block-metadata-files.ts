import aiChat from '../ai-chat/block-metadata.json' with { type: 'json' };
import aiImage from '../ai-image/block-metadata.json' with { type: 'json' };
import aiText from '../ai-text/block-metadata.json' with { type: 'json' };
import { DEFAULT_TYPES_BASE_URL, LOCAL_TYPES_BASE_URL, normalizeBaseUrl } from './urls.js';

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

/**
 * Block metadata (or any JSON value) with the checked-in types base URL
 * (`LOCAL_TYPES_BASE_URL`) replaced by `baseUrl`: in `schema` and in every example's keys.
 */
export function rebaseTypeUrls<T>(value: T, baseUrl: string = DEFAULT_TYPES_BASE_URL): T {
  const target = normalizeBaseUrl(baseUrl);
  if (target === LOCAL_TYPES_BASE_URL) return value;
  return JSON.parse(JSON.stringify(value).replaceAll(LOCAL_TYPES_BASE_URL, target)) as T;
}

/** The three blocks' metadata for the types base URL in use (the build adds `version` and `source`). */
export const BLOCK_METADATA: Record<'ai-text' | 'ai-image' | 'ai-chat', BlockMetadataJson> = {
  'ai-text': rebaseTypeUrls(aiText as BlockMetadataJson),
  'ai-image': rebaseTypeUrls(aiImage as BlockMetadataJson),
  'ai-chat': rebaseTypeUrls(aiChat as BlockMetadataJson),
};

export type BlockName = keyof typeof BLOCK_METADATA;
