// Writes every entity, property and link type of ours as JSON into dist/types/, each at the path of
// its `$id` below the types base URL, so publishing dist/ at that URL publishes the types too. The
// host (`npm start`) and `npm run serve:dist` serve these files; nothing else generates them.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const rootDir = new URL('..', import.meta.url).pathname;
const metadataModule = () => tsImport('../block-metadata/src/index.ts', import.meta.url);

/**
 * The types base URL a build fixes: `AI_BLOCKS_TYPES_BASE_URL`, else the local one that
 * `npm start` serves (`http://127.0.0.1:8787/types/`). Always absolute, ending in `/`.
 */
export async function typesBaseUrl(configured = process.env.AI_BLOCKS_TYPES_BASE_URL) {
  const { LOCAL_TYPES_BASE_URL, normalizeBaseUrl } = await metadataModule();
  if (!configured) return LOCAL_TYPES_BASE_URL;
  const url = new URL(configured);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`AI_BLOCKS_TYPES_BASE_URL must be an http(s) URL, got ${configured}`);
  }
  return normalizeBaseUrl(url.href);
}

/**
 * Writes the type schemas for `baseUrl` into `<outDir>/types/`.
 * @returns {Promise<string[]>} the `$id`s written
 */
export async function buildTypes({ outDir = join(rootDir, 'dist'), baseUrl } = {}) {
  const base = await typesBaseUrl(baseUrl);
  const { allTypeSchemas } = await metadataModule();
  const target = join(outDir, 'types');
  await rm(target, { recursive: true, force: true });
  const ids = [];
  for (const schema of allTypeSchemas(base)) {
    if (!schema.$id.startsWith(base)) throw new Error(`${schema.$id} is not below ${base}`);
    const file = join(target, ...schema.$id.slice(base.length).split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(schema, null, 2)}\n`);
    ids.push(schema.$id);
  }
  return ids;
}

/** The block metadata rewritten for a types base URL (schema and example keys). */
export async function rebaseMetadata(metadata, baseUrl) {
  const { rebaseTypeUrls } = await metadataModule();
  return rebaseTypeUrls(metadata, await typesBaseUrl(baseUrl));
}
