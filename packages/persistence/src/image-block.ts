import { BP, LEGACY_HASH, typeIds, type TypeIds } from '@ai-blocks/block-metadata';
import type { Entity, EntityRootType, Subgraph } from '@blockprotocol/graph';
import { ensureLink } from './chat.js';
import { findEntity } from './find-entity.js';
import type { GraphClient } from './graph-client.js';
import { provenanceFromProperties, provenanceToProperties, type Provenance } from './provenance.js';
import { readProperties } from './read-properties.js';
import { byLinkOrder, outgoingLinks } from './subgraph.js';
import { WriteLedger } from './write-ledger.js';

/** A kept image, read from a generated-image link and its file entity. */
export interface KeptImage {
  fileEntityId: string;
  linkEntityId: string;
  url: string;
  mimeType?: string;
  fileName?: string;
  /** Alt text: the prompt (or the file's description for legacy images). */
  prompt: string;
  size?: string;
  /** The seed and denoising steps of an in-browser model's image. */
  seed?: number;
  steps?: number;
  provenance: Provenance;
}

/** The images an AI Image block kept, oldest first; HASH's `generated` links included. */
export function readKeptImages(
  subgraph: Subgraph<EntityRootType>,
  blockEntity: Entity | undefined,
  ids: TypeIds = typeIds(),
): { images: KeptImage[]; warnings: string[] } {
  const warnings: string[] = [];
  if (!blockEntity) return { images: [], warnings };
  const images: KeptImage[] = [];
  const linkTypes = new Set([ids.entityType['generated-image'], LEGACY_HASH.entityType.generated]);
  for (const { link, target } of byLinkOrder(outgoingLinks(subgraph, blockEntity.metadata.recordId.entityId))) {
    if (!linkTypes.has(link.metadata.entityTypeId)) continue;
    const file = target.properties as Record<string, unknown>;
    const url = file[BP.property.fileUrl];
    if (typeof url !== 'string') {
      warnings.push(`generated image ${target.metadata.recordId.entityId} has no file URL`);
      continue;
    }
    const { properties, warnings: linkWarnings } = readProperties('generated-image', link.properties, ids.baseUrl);
    warnings.push(...linkWarnings);
    const description =
      typeof file[BP.property.description] === 'string' ? (file[BP.property.description] as string) : '';
    const image: KeptImage = {
      fileEntityId: target.metadata.recordId.entityId,
      linkEntityId: link.metadata.recordId.entityId,
      url,
      prompt: (properties[ids.property.prompt] as string | undefined) ?? description,
      provenance: provenanceFromProperties(ids, properties),
    };
    if (typeof file[BP.property.mimeType] === 'string') image.mimeType = file[BP.property.mimeType] as string;
    if (typeof file[BP.property.fileName] === 'string') image.fileName = file[BP.property.fileName] as string;
    const size = properties[ids.property['image-size']];
    if (typeof size === 'string') image.size = size;
    // Read through the zod mirror above: a number here is a finite JSON number.
    const seed = properties[ids.property['image-seed']];
    if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) image.seed = seed;
    const steps = properties[ids.property['image-steps']];
    if (typeof steps === 'number' && Number.isSafeInteger(steps) && steps > 0) image.steps = steps;
    images.push(image);
  }
  return { images, warnings };
}

export interface ImageToKeep {
  blockEntity: Entity;
  /** Stable across retries: names the uploaded file so a retry finds it. */
  clientId: string;
  bytes: Uint8Array;
  mediaType: string;
  prompt: string;
  size?: string;
  quality?: string;
  revisedPrompt?: string;
  /** An in-browser model's seed and steps, to make the image again. */
  seed?: number;
  steps?: number;
  provenance: Provenance;
}

/**
 * The file name a kept image is uploaded under (its client id names it, so a retry finds it); a
 * candidate downloaded before it is kept gets the same name.
 */
export function keptImageFileName(clientId: string, mediaType: string): string {
  const extension = mediaType.split('/')[1]?.replace('jpeg', 'jpg') ?? 'png';
  return `ai-image-${clientId}.${extension}`;
}

// Each image being kept remembers what its attempts created: the block retries with the same object.
const ledgers = new WeakMap<ImageToKeep, WriteLedger>();

/**
 * Keeps one generated image: uploads it as a File (the embedder stores it and makes a file
 * entity) and links it to the block with a generated-image link carrying prompt and
 * provenance. Discarded candidates never reach this, so nothing is orphaned; a retry finds
 * the file and link an earlier attempt wrote (or whose answer came late) instead of
 * duplicating them, also on a host whose queryEntities ignores filters or is missing.
 */
export async function keepImage(
  client: GraphClient,
  image: ImageToKeep,
  ids: TypeIds = typeIds(),
): Promise<{ fileEntityId: string; linkEntityId: string }> {
  let ledger = ledgers.get(image);
  if (!ledger) {
    ledger = new WriteLedger();
    ledgers.set(image, ledger);
  }
  const blockId = image.blockEntity.metadata.recordId.entityId;
  const context = { ledger, scopeId: blockId };
  const fileName = keptImageFileName(image.clientId, image.mediaType);
  const fileEntityId = await ledger.ensure(client, `file:${fileName}`, {
    find: () =>
      findEntity(
        client,
        [{ field: ['properties', BP.property.fileName], operator: 'EQUALS', value: fileName }],
        context,
      ),
    create: () => {
      const blob = new File([image.bytes.slice().buffer], fileName, { type: image.mediaType });
      return client.uploadFile({ file: blob, name: fileName, description: image.prompt });
    },
  });
  const properties: Record<string, unknown> = {
    [ids.property.prompt]: image.prompt,
    [ids.property['client-id']]: image.clientId,
    ...provenanceToProperties(ids, image.provenance),
  };
  if (image.size) properties[ids.property['image-size']] = image.size;
  if (image.quality) properties[ids.property['image-quality']] = image.quality;
  if (image.revisedPrompt) properties[ids.property['revised-prompt']] = image.revisedPrompt;
  if (image.seed !== undefined) properties[ids.property['image-seed']] = image.seed;
  if (image.steps !== undefined) properties[ids.property['image-steps']] = image.steps;
  const linkEntityId = await ensureLink(
    client,
    ids.entityType['generated-image'],
    blockId,
    fileEntityId,
    properties,
    undefined,
    context,
  );
  return { fileEntityId, linkEntityId };
}
