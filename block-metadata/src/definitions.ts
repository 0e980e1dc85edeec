import { BP } from './urls.js';

/** The data types our properties use (Block Protocol core data types). */
export type PrimitiveType = 'text' | 'number' | 'boolean';

/** A property type this project defines under its base URL. */
export interface PropertyDefinition {
  title: string;
  description: string;
  dataType: PrimitiveType;
}

/**
 * Every property type of our own, by slug. Provenance (engine, model, parameters, usage,
 * timing, completion) is spread over small single-valued properties so hosts can query and
 * display each one.
 */
export const PROPERTY_DEFINITIONS = {
  prompt: { title: 'Prompt', description: 'What the person asked the model for.', dataType: 'text' },
  'system-prompt': {
    title: 'System Prompt',
    description: 'The instruction given to the model before the conversation.',
    dataType: 'text',
  },
  'preset-system-prompt-id': {
    title: 'Preset System Prompt ID',
    description: 'Which built-in system prompt preset was chosen.',
    dataType: 'text',
  },
  'engine-id': {
    title: 'Engine ID',
    description:
      'The engine that produced the output, e.g. wasm, webllm, openai-compatible, anthropic, service-module.',
    dataType: 'text',
  },
  'model-id': { title: 'Model ID', description: 'The model that produced the output.', dataType: 'text' },
  temperature: {
    title: 'Temperature',
    description: 'Sampling temperature used for the generation.',
    dataType: 'number',
  },
  'max-output-tokens': {
    title: 'Max Output Tokens',
    description: 'The output length limit used for the generation, in tokens.',
    dataType: 'number',
  },
  'input-tokens': { title: 'Input Tokens', description: 'Tokens the model read.', dataType: 'number' },
  'output-tokens': { title: 'Output Tokens', description: 'Tokens the model wrote.', dataType: 'number' },
  'started-at': { title: 'Started At', description: 'When the generation started (ISO 8601).', dataType: 'text' },
  'duration-ms': {
    title: 'Duration (ms)',
    description: 'How long the generation took, in milliseconds.',
    dataType: 'number',
  },
  'time-to-first-token-ms': {
    title: 'Time To First Token (ms)',
    description: 'How long until the first output arrived, in milliseconds.',
    dataType: 'number',
  },
  'completion-status': {
    title: 'Completion Status',
    description:
      'Whether the output is complete, was stopped by the person, or ended with an error: complete, stopped or error.',
    dataType: 'text',
  },
  'finish-reason': {
    title: 'Finish Reason',
    description: 'Why the model stopped: stop, length, content-filter, …',
    dataType: 'text',
  },
  'edited-at': {
    title: 'Edited At',
    description: 'When a person last changed the output by hand (ISO 8601); absent while it is as the model wrote it.',
    dataType: 'text',
  },
  'client-id': {
    title: 'Client ID',
    description:
      'An id the block gives an entity before writing it, so a retried write is recognised and never duplicated.',
    dataType: 'text',
  },
  'image-size': { title: 'Image Size', description: 'Requested image size, e.g. 1024x1024.', dataType: 'text' },
  'image-quality': {
    title: 'Image Quality',
    description: 'Requested image quality or style, where the model supports it.',
    dataType: 'text',
  },
  'image-count': { title: 'Image Count', description: 'How many candidates were requested.', dataType: 'number' },
  'image-seed': {
    title: 'Image Seed',
    description: 'The seed an in-browser model drew the image with: the same prompt, seed and model give it again.',
    dataType: 'number',
  },
  'image-steps': {
    title: 'Image Steps',
    description: 'How many denoising steps an in-browser model took for the image.',
    dataType: 'number',
  },
  'revised-prompt': {
    title: 'Revised Prompt',
    description: 'The prompt as the image model rewrote it, if it did.',
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

export interface EntityTypeDefinition {
  title: string;
  description: string;
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
    title: 'AI Text Block',
    description: 'Text written by an AI model from a prompt, kept in the page, with its provenance.',
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
    title: 'AI Image Block',
    description: 'Images generated by an AI model from a prompt; the kept ones are linked files.',
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
    title: 'AI Chat Block',
    description: 'A conversation with an AI model: every message an entity, every turn a link, so it can branch.',
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
    title: 'AI Chat Request Message',
    description: 'A message a person sent in an AI chat.',
    properties: [{ core: 'textualContent', required: true }, { own: 'client-id' }],
    links: [{ link: 'has-response', targets: ['ai-chat-response-message'] }],
  },
  'ai-chat-response-message': {
    title: 'AI Chat Response Message',
    description: 'A reply an AI model wrote in an AI chat, with its provenance.',
    properties: [{ core: 'textualContent', required: true }, { own: 'client-id' }, ...provenance],
    links: [{ link: 'followed-by', targets: ['ai-chat-request-message'] }],
  },
  'generated-image': {
    title: 'Generated Image',
    description:
      'Links an AI Image block to an image file it generated and the person kept, with the prompt and provenance.',
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
    title: 'Has Message',
    description: 'Links a chat block to each of its messages.',
    isLink: true,
    properties: [],
  },
  'rooted-at': {
    title: 'Rooted At',
    description: 'Links a chat block to the first message of a conversation (one link per root branch).',
    isLink: true,
    properties: [],
  },
  'has-response': {
    title: 'Has Response',
    description: 'Links a request message to a response; several links are sibling branches (regenerations).',
    isLink: true,
    properties: [],
  },
  'followed-by': {
    title: 'Followed By',
    description: 'Links a response message to the next request; several links are sibling branches (edits).',
    isLink: true,
    properties: [],
  },
} as const satisfies Record<EntitySlug, EntityTypeDefinition>;

export type LinkSlug = 'generated-image' | 'has-message' | 'rooted-at' | 'has-response' | 'followed-by';

/** The version every type of ours currently has. */
export const TYPE_VERSION = 1;
