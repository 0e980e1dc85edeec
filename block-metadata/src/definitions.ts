import { BP } from './urls.js';

/** The data types our properties use (Block Protocol core data types). */
export type PrimitiveType = 'text' | 'number' | 'boolean';

/**
 * A property type this project defines under its base URL. Its title and description live in
 * definition-texts.ts: only the type schemas need them, not a block's main file.
 */
export interface PropertyDefinition {
  dataType: PrimitiveType;
}

/**
 * Every property type of our own, by slug. Provenance (engine, model, parameters, usage,
 * timing, completion) is spread over small single-valued properties so hosts can query and
 * display each one.
 */
export const PROPERTY_DEFINITIONS = {
  prompt: { dataType: 'text' },
  'system-prompt': {
    dataType: 'text',
  },
  'preset-system-prompt-id': {
    dataType: 'text',
  },
  'engine-id': {
    dataType: 'text',
  },
  'model-id': { dataType: 'text' },
  temperature: {
    dataType: 'number',
  },
  'max-output-tokens': {
    dataType: 'number',
  },
  'input-tokens': { dataType: 'number' },
  'output-tokens': { dataType: 'number' },
  'started-at': { dataType: 'text' },
  'duration-ms': {
    dataType: 'number',
  },
  'time-to-first-token-ms': {
    dataType: 'number',
  },
  'completion-status': {
    dataType: 'text',
  },
  'finish-reason': {
    dataType: 'text',
  },
  'edited-at': {
    dataType: 'text',
  },
  'client-id': {
    dataType: 'text',
  },
  'image-size': { dataType: 'text' },
  'image-quality': {
    dataType: 'text',
  },
  'image-count': { dataType: 'number' },
  'image-seed': {
    dataType: 'number',
  },
  'image-steps': {
    dataType: 'number',
  },
  'revised-prompt': {
    dataType: 'text',
  },
} as const satisfies Record<string, PropertyDefinition>;

export type PropertySlug = keyof typeof PROPERTY_DEFINITIONS;

/** A reused Block Protocol core property type. */
export type CorePropertyName = keyof typeof BP.property;

/** A property of an entity type: one of ours (by slug) or a reused core one. */
export type PropertyReference =
  { own: PropertySlug; required?: boolean } | { core: CorePropertyName; required?: boolean };

/** Slugs of our entity types (link types included). */
export type EntitySlug =
  | 'ai-text-block'
  | 'ai-image-block'
  | 'ai-chat-block'
  | 'ai-chat-request-message'
  | 'ai-chat-response-message'
  | LinkSlug;

/** A link an entity type may have: the link entity type (slug of ours) and its allowed targets. */
export interface LinkDefinition {
  link: LinkSlug;
  /** Slugs of our entity types, or full versioned URLs of other types. */
  targets: (EntitySlug | `https://${string}`)[];
  ordered?: boolean;
}

/** An entity type of ours (title and description in definition-texts.ts). */
export interface EntityTypeDefinition {
  properties: PropertyReference[];
  links?: LinkDefinition[];
  /** Link entity types inherit from the core link type. */
  isLink?: boolean;
}

const provenance: PropertyReference[] = [
  { own: 'engine-id' },
  { own: 'model-id' },
  { own: 'input-tokens' },
  { own: 'output-tokens' },
  { own: 'started-at' },
  { own: 'duration-ms' },
  { own: 'time-to-first-token-ms' },
  { own: 'completion-status' },
  { own: 'finish-reason' },
  { own: 'edited-at' },
];

/** Every entity type of our own, by slug (the link types use HASH's chat model). */
export const ENTITY_TYPE_DEFINITIONS = {
  'ai-text-block': {
    properties: [
      { own: 'prompt' },
      { core: 'textualContent' },
      { own: 'system-prompt' },
      { own: 'temperature' },
      { own: 'max-output-tokens' },
      ...provenance,
    ],
  },
  'ai-image-block': {
    properties: [
      { own: 'prompt' },
      { own: 'engine-id' },
      { own: 'model-id' },
      { own: 'image-size' },
      { own: 'image-quality' },
      { own: 'image-count' },
    ],
    links: [{ link: 'generated-image', targets: [BP.entityType.remoteFile] }],
  },
  'ai-chat-block': {
    properties: [
      { own: 'engine-id' },
      { own: 'model-id' },
      { own: 'system-prompt' },
      { own: 'preset-system-prompt-id' },
      { own: 'temperature' },
      { own: 'max-output-tokens' },
    ],
    links: [
      { link: 'rooted-at', targets: ['ai-chat-request-message'] },
      { link: 'has-message', targets: ['ai-chat-request-message', 'ai-chat-response-message'] },
    ],
  },
  'ai-chat-request-message': {
    properties: [{ core: 'textualContent', required: true }, { own: 'client-id' }],
    links: [{ link: 'has-response', targets: ['ai-chat-response-message'] }],
  },
  'ai-chat-response-message': {
    properties: [{ core: 'textualContent', required: true }, { own: 'client-id' }, ...provenance],
    links: [{ link: 'followed-by', targets: ['ai-chat-request-message'] }],
  },
  'generated-image': {
    isLink: true,
    properties: [
      { own: 'prompt' },
      { own: 'revised-prompt' },
      { own: 'image-size' },
      { own: 'image-quality' },
      { own: 'image-seed' },
      { own: 'image-steps' },
      { own: 'client-id' },
      ...provenance,
    ],
  },
  'has-message': {
    isLink: true,
    properties: [],
  },
  'rooted-at': {
    isLink: true,
    properties: [],
  },
  'has-response': {
    isLink: true,
    properties: [],
  },
  'followed-by': {
    isLink: true,
    properties: [],
  },
} as const satisfies Record<EntitySlug, EntityTypeDefinition>;

export type LinkSlug = 'generated-image' | 'has-message' | 'rooted-at' | 'has-response' | 'followed-by';

/** The version every type of ours currently has. */
export const TYPE_VERSION = 1;
