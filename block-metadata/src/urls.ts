/**
 * Type URLs. Our own types live under one configurable base URL; Block Protocol core types
 * that blockprotocol.org still serves are reused as they are.
 */

/**
 * The base URL the checked-in block metadata uses: where `npm start`'s host serves the types
 * (`dist/types/`, written by the build). A build for publishing fixes another with
 * `AI_BLOCKS_TYPES_BASE_URL` (`__AI_BLOCKS_TYPES_BASE__`).
 */
export const LOCAL_TYPES_BASE_URL = 'http://127.0.0.1:8787/types/';

declare const __AI_BLOCKS_TYPES_BASE__: string | undefined;

/** Where this project's types live: the base fixed by the build, else the local one. */
export const DEFAULT_TYPES_BASE_URL =
  typeof __AI_BLOCKS_TYPES_BASE__ === 'string' ? __AI_BLOCKS_TYPES_BASE__ : LOCAL_TYPES_BASE_URL;

/** Block Protocol core types still served by blockprotocol.org (see docs/types.md). */
export const BP = {
  dataType: {
    text: 'https://blockprotocol.org/@blockprotocol/types/data-type/text/v/1',
    number: 'https://blockprotocol.org/@blockprotocol/types/data-type/number/v/1',
    boolean: 'https://blockprotocol.org/@blockprotocol/types/data-type/boolean/v/1',
  },
  entityType: {
    link: 'https://blockprotocol.org/@blockprotocol/types/entity-type/link/v/1',
    remoteFile: 'https://blockprotocol.org/@blockprotocol/types/entity-type/remote-file/v/2',
  },
  property: {
    textualContent: 'https://blockprotocol.org/@blockprotocol/types/property-type/textual-content/',
    description: 'https://blockprotocol.org/@blockprotocol/types/property-type/description/',
    fileUrl: 'https://blockprotocol.org/@blockprotocol/types/property-type/file-url/',
    fileName: 'https://blockprotocol.org/@blockprotocol/types/property-type/file-name/',
    mimeType: 'https://blockprotocol.org/@blockprotocol/types/property-type/mime-type/',
  },
  /** Versions of the reused property types. */
  propertyVersion: {
    textualContent: 2,
    description: 1,
    fileUrl: 1,
    fileName: 1,
    mimeType: 1,
  },
} as const;

/** The type ids HASH's original AI blocks wrote, so their entities can be read. */
export const LEGACY_HASH = {
  entityType: {
    aiTextBlock: 'https://blockprotocol.org/@hash/types/entity-type/ai-text-block/v/2',
    aiImageBlock: 'https://blockprotocol.org/@hash/types/entity-type/ai-image-block/v/3',
    aiChatBlock: 'https://blockprotocol.org/@hash/types/entity-type/ai-chat-block/v/1',
    requestMessage: 'https://blockprotocol.org/@hash/types/entity-type/ai-chat-request-message/v/1',
    responseMessage: 'https://blockprotocol.org/@hash/types/entity-type/ai-chat-response-message/v/1',
    generated: 'https://blockprotocol.org/@hash/types/entity-type/generated/v/1',
    hasMessage: 'https://blockprotocol.org/@blockprotocol/types/entity-type/has-message/v/1',
    rootedAt: 'https://blockprotocol.org/@blockprotocol/types/entity-type/rooted-at/v/1',
    hasResponse: 'https://blockprotocol.org/@blockprotocol/types/entity-type/has-response/v/1',
    followedBy: 'https://blockprotocol.org/@blockprotocol/types/entity-type/followed-by/v/1',
  },
  property: {
    openaiTextModelName: 'https://blockprotocol.org/@blockprotocol/types/property-type/openai-text-model-name/',
    openaiTextModelPrompt: 'https://blockprotocol.org/@blockprotocol/types/property-type/openai-text-model-prompt/',
    openaiImageModelPrompt: 'https://blockprotocol.org/@blockprotocol/types/property-type/openai-image-model-prompt/',
    openaiChatModelName: 'https://blockprotocol.org/@blockprotocol/types/property-type/openai-chat-model-name/',
    presetSystemPromptId: 'https://blockprotocol.org/@hash/types/property-type/ai-chat-block-preset-system-prompt-id/',
  },
} as const;

/** A base URL with exactly one trailing slash. */
export function normalizeBaseUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/`;
}

/** The base URL (no version) of a versioned type URL. */
export function baseUrlOf(versionedUrl: string): string {
  return versionedUrl.replace(/v\/\d+$/, '');
}
