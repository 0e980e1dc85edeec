import {
  ENTITY_TYPE_DEFINITIONS,
  PROPERTY_DEFINITIONS,
  TYPE_VERSION,
  type EntitySlug,
  type PropertyReference,
  type PropertySlug,
} from './definitions.js';
import { BP, DEFAULT_TYPES_BASE_URL, normalizeBaseUrl } from './urls.js';

/** Every id a block needs, derived from one base URL. */
export interface TypeIds {
  baseUrl: string;
  /** Versioned entity type ids, by slug. */
  entityType: Record<EntitySlug, string>;
  /** Versioned property type ids of our own, by slug. */
  propertyType: Record<PropertySlug, string>;
  /** Property base URLs (the keys in an entity's `properties`), by slug, plus the reused core ones. */
  property: Record<PropertySlug, string> & {
    textualContent: string;
    description: string;
    fileUrl: string;
    fileName: string;
    mimeType: string;
  };
}

/** The type ids for a base URL. */
export function typeIds(baseUrl: string = DEFAULT_TYPES_BASE_URL): TypeIds {
  const base = normalizeBaseUrl(baseUrl);
  const entityType = Object.fromEntries(
    Object.keys(ENTITY_TYPE_DEFINITIONS).map((slug) => [slug, `${base}entity-type/${slug}/v/${TYPE_VERSION}`]),
  ) as Record<EntitySlug, string>;
  const propertyBase = Object.fromEntries(
    Object.keys(PROPERTY_DEFINITIONS).map((slug) => [slug, `${base}property-type/${slug}/`]),
  ) as Record<PropertySlug, string>;
  const propertyType = Object.fromEntries(
    Object.entries(propertyBase).map(([slug, url]) => [slug, `${url}v/${TYPE_VERSION}`]),
  ) as Record<PropertySlug, string>;
  return { baseUrl: base, entityType, propertyType, property: { ...propertyBase, ...BP.property } };
}

/** The property base URL (entity `properties` key) of a reference. */
export function propertyKey(ids: TypeIds, reference: PropertyReference): string {
  return 'own' in reference ? ids.property[reference.own] : BP.property[reference.core];
}

/** The versioned property type id of a reference. */
export function propertyTypeId(ids: TypeIds, reference: PropertyReference): string {
  return 'own' in reference
    ? ids.propertyType[reference.own]
    : `${BP.property[reference.core]}v/${BP.propertyVersion[reference.core]}`;
}

/** The default ids (the build may fix another base URL). */
export const TYPE_IDS: TypeIds = typeIds();
