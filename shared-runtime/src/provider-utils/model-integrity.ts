// What a model file's bytes were when this browser first downloaded it. Model hosts serve
// mutable URLs (`…/resolve/main/…`) and the catalogue cannot know every file's hash offline,
// so the first download's SHA-256 is recorded and a later download that differs is reported.
import * as z from 'zod/mini';

/** Storage the records live in (the Cache API, or a fake in tests). */
export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
}

/** The part of a Cache the downloads use. */
export interface CacheLike {
  match(url: string): Promise<Response | undefined>;
  /** The requests stored for a URL (no bodies): asking this holds no file open. */
  keys?(url: string): Promise<readonly Request[]>;
  put(url: string, response: Response): Promise<void>;
  delete(url: string): Promise<boolean>;
}

const recordSchema = z.object({
  sha256: z.string(),
  bytes: z.number(),
  recordedAt: z.string(),
  differs: z.optional(z.object({ sha256: z.string(), bytes: z.number(), seenAt: z.string() })),
});

/** The recorded hash of a model URL; `differs` is set while the last download did not match it. */
export type IntegrityRecord = z.infer<typeof recordSchema>;

/** The records' cache: beside the models' own, and kept when a model is deleted (that is the point). */
export const integrityCacheName = (cacheName: string): string => `${cacheName}-sha256`;

export async function readIntegrityRecord(
  cache: CacheLike | undefined,
  url: string,
): Promise<IntegrityRecord | undefined> {
  const response = await cache?.match(url).catch(() => undefined);
  if (!response) return undefined;
  const parsed = recordSchema.safeParse(await response.json().catch(() => undefined));
  return parsed.success ? parsed.data : undefined;
}

/** The warning a person sees when a model's file changed since its first download. */
export function integrityWarning(record: IntegrityRecord | undefined): string | undefined {
  if (!record?.differs) return undefined;
  return (
    `This model’s file changed since it was first downloaded here on ${record.recordedAt.slice(0, 10)} ` +
    `(SHA-256 ${record.sha256.slice(0, 12)}…, now ${record.differs.sha256.slice(0, 12)}…). ` +
    'If you did not expect a new version, delete it and check its source.'
  );
}

/**
 * Records a finished download's hash: the first one is kept as the reference; a different one
 * later is noted (and cleared again once a download matches the reference). Returns the record.
 */
export async function noteDownloadHash(
  cache: CacheLike | undefined,
  url: string,
  sha256: string,
  bytes: number,
  now = new Date(),
): Promise<IntegrityRecord> {
  const previous = await readIntegrityRecord(cache, url);
  const record: IntegrityRecord = previous
    ? previous.sha256 === sha256
      ? { sha256: previous.sha256, bytes: previous.bytes, recordedAt: previous.recordedAt }
      : { ...previous, differs: { sha256, bytes, seenAt: now.toISOString() } }
    : { sha256, bytes, recordedAt: now.toISOString() };
  // A record that cannot be written only loses the warning, never the model.
  await cache
    ?.put(url, new Response(JSON.stringify(record), { headers: { 'content-type': 'application/json' } }))
    .catch(() => undefined);
  return record;
}
