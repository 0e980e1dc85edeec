import { entityPropertiesSchema, type EntitySlug } from '@ai-blocks/block-metadata';

export interface ReadResult {
  /** The properties that have the types the entity type says (invalid ones dropped). */
  properties: Record<string, unknown>;
  /** One line per property that was dropped or defaulted. */
  warnings: string[];
}

/**
 * Reads an entity's properties with the zod mirror of its type. Bad or foreign data never
 * throws: each property of the wrong type is dropped with a warning, and the rest is kept.
 */
export function readProperties(slug: EntitySlug, raw: unknown, baseUrl?: string): ReadResult {
  const schema = entityPropertiesSchema(slug, baseUrl);
  const warnings: string[] = [];
  let properties: Record<string, unknown> =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    warnings.push(`${slug}: properties were not an object`);
  }
  for (let attempt = 0; attempt < 64; attempt += 1) {
    const result = schema.safeParse(properties);
    if (result.success) return { properties: result.data, warnings };
    const badKeys = new Set(result.error.issues.map((issue) => String(issue.path[0] ?? '')));
    for (const key of badKeys) {
      if (key !== '' && properties[key] === undefined) {
        // A required property is missing: the only required ones are Text.
        warnings.push(`${slug}: ${key} was missing; read as empty text`);
        properties = { ...properties, [key]: '' };
        continue;
      }
      warnings.push(`${slug}: ignored ${key === '' ? 'the properties' : key} (${typeof properties[key]})`);
      properties = Object.fromEntries(Object.entries(properties).filter(([name]) => name !== key));
    }
    if (badKeys.has('')) break;
  }
  return { properties: {}, warnings };
}
