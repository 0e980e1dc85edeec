/**
 * Node-only helpers (they touch the file system): import from `@ai-blocks/test-models/node`.
 * The package's main entry stays free of Node modules so it also runs in the browser.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateSdxsShapedDiffusion, type SdxsShape, type SdxsShapedModel } from './sdxs-shaped-diffusion.js';
import { generateTinyDiffusion, type TinyDiffusionModel } from './tiny-diffusion.js';
import { generateLlamaGguf, TINY_SHAPE, type LlamaShape } from './tiny-llama.js';

/** Generates a model of `shape` (default: the tiny test model) and writes it to `path`; returns the byte count. */
export function writeTestModel(path: string, shape: LlamaShape = TINY_SHAPE): number {
  const bytes = generateLlamaGguf(shape);
  writeFileSync(path, bytes);
  return bytes.length;
}

/** Writes the tiny test model to a fresh temporary directory and returns its path (`…/tiny.gguf`). */
export function writeTinyModelToTemp(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ai-blocks-tiny-')), 'tiny.gguf');
  writeTestModel(path);
  return path;
}

/** Hex SHA-256 of bytes, e.g. to compare a generated model with {@link TINY_MODEL_SHA256}. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The tiny diffusion model with each part's SHA-256 in its manifest (as the build and test servers serve it). */
export function tinyDiffusionWithChecksums(): TinyDiffusionModel {
  return generateTinyDiffusion({ sha256: sha256Hex });
}

/**
 * Writes the tiny diffusion model's folder (`manifest.json`, the ONNX parts, the tokenizer) under `dir`; returns the
 * byte count.
 */
export function writeTinyDiffusion(dir: string): number {
  let total = 0;
  for (const [path, bytes] of tinyDiffusionWithChecksums().files) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
    total += bytes.length;
  }
  return total;
}

/** Bump when the SDXS-shaped generator's output changes, so cached copies are regenerated. */
const SDXS_GENERATOR_VERSION = 1;

/**
 * The SDXS-shaped model's folder under `cacheRoot`, generated on first use (the full shape takes
 * a minute and about 1.3 GB of disk; never committed). The folder is named for the shape and the
 * generator version, and written under a temporary name first, so a half-written copy is never used.
 */
export function cachedSdxsShapedDiffusion(
  shape: SdxsShape,
  cacheRoot: string,
): { dir: string; parameters: SdxsShapedModel['parameters']; generated: boolean } {
  const key = createHash('sha256')
    .update(JSON.stringify({ shape, version: SDXS_GENERATOR_VERSION }))
    .digest('hex')
    .slice(0, 12);
  const dir = join(cacheRoot, `${shape.id}-${key}`);
  const done = join(dir, 'parameters.json');
  if (existsSync(done))
    return {
      dir,
      parameters: JSON.parse(readFileSync(done, 'utf8')) as SdxsShapedModel['parameters'],
      generated: false,
    };
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const model = generateSdxsShapedDiffusion(shape);
  for (const [path, bytes] of model.files) {
    const target = join(partial, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  writeFileSync(join(partial, 'parameters.json'), JSON.stringify(model.parameters));
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return { dir, parameters: model.parameters, generated: true };
}
