// AI Image with the shared engine and model picker, in the built block inside the host: offline
// (no host service) it chooses the in-browser engine and says why, runs the bundled tiny diffusion
// model with per-step progress and Stop, keeps an image with its provenance through a reload into
// a new document, and writes nothing before Keep. Cloud options stay for the OpenAI-compatible
// engine; a model too large for the device is refused before any download.
import { TYPE_IDS } from '@ai-blocks/block-metadata';
import { builtInImageCatalogue, createImageModelManager, EMPTY_PROBE, type CapabilityProbe } from '@ai-blocks/runtime';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { openHostInNewDocument, type HostDocument } from '../../helpers/host-document.js';
import {
  blockIn,
  button,
  chooseEngine,
  engineSummary,
  mountHost,
  shadow,
  testServers,
  until,
  type BlockElement,
} from '../../helpers/host-page.js';

const TINY = 'ai-blocks-tiny-diffusion';

let opened: HostDocument | undefined;
afterEach(() => {
  opened?.close();
  opened = undefined;
});

async function offlineHost(): Promise<AiBlocksHostApp> {
  const { fault } = await testServers();
  return mountHost({
    serviceBase: `${fault.replace('SCENARIO', 'service-forbidden').replace(/\/v1$/, '')}/api/service/`,
  });
}

/** Why an engine cannot run here, as the picker explains under its summary. */
const reason = (block: HTMLElement, value: string) =>
  shadow(block).querySelector(`[data-reason="${value}"]`)?.textContent ?? '';
const optionsOf = (block: HTMLElement, id: string) =>
  [...(shadow(block).querySelector<HTMLSelectElement>(`#${id}`)?.options ?? [])].map((item) => item.value);
const candidates = (block: HTMLElement) => shadow(block).querySelectorAll('figure[data-candidate]');
const imageLinks = (app: AiBlocksHostApp) =>
  app.store.all().filter(({ entity }) => entity.metadata.entityTypeId === TYPE_IDS.entityType['generated-image']);

async function set(block: BlockElement, id: string, value: string): Promise<void> {
  const select = shadow(block).querySelector<HTMLSelectElement>(`#${id}`);
  if (!select) throw new Error(`no #${id}`);
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await block.updateComplete;
}

async function typePrompt(block: BlockElement, text: string): Promise<void> {
  const field = shadow(block).querySelector<HTMLTextAreaElement>('#prompt');
  if (!field) throw new Error('no prompt');
  field.value = text;
  field.dispatchEvent(new Event('input'));
  await block.updateComplete;
}

/** Records every denoising step the block shows (each `[data-step]` as it appears). */
function recordSteps(block: HTMLElement, onStep?: (step: number) => void): { steps: number[]; stop: () => void } {
  const steps: number[] = [];
  const observer = new MutationObserver(() => {
    const shown = shadow(block).querySelector('[data-step]');
    const step = Number(shown?.getAttribute('data-step'));
    if (shown && steps.at(-1) !== step) {
      steps.push(step);
      onStep?.(step);
    }
  });
  observer.observe(shadow(block), { subtree: true, childList: true, attributes: true, characterData: true });
  return { steps, stop: () => observer.disconnect() };
}

describe('AI Image in the browser (built block, host without an AI service)', () => {
  it('offline: in-browser engine and why; steps in order; Stop; keep; reload with provenance', async function () {
    this.timeout(90_000);
    const app = await offlineHost();
    const block = blockIn(app, 'ai-image');
    await until(
      () => reason(block, 'service-module').includes('does not offer'),
      () => `the service to be refused with its reason (got "${reason(block, 'service-module')}")`,
    );
    await until(
      () => engineSummary(block).includes('CPU model'),
      () => `the CPU model (got "${engineSummary(block)}")`,
    );
    // Why not the GPU: this Chromium has no WebGPU, and the summary says so.
    expect(engineSummary(block)).to.match(/not the GPU model|WebGPU/);
    expect(shadow(block).querySelector<HTMLSelectElement>('#engine')?.selectedOptions[0]?.textContent).to.contain(
      'Automatic (In browser — CPU',
    );
    expect(shadow(block).querySelector('.model-picker summary')?.textContent).to.contain('tiny diffusion');
    // Options follow the engine: the model's one size, its steps, no cloud quality.
    expect(optionsOf(block, 'size')).to.deep.equal(['64x64']);
    expect(optionsOf(block, 'steps')).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(shadow(block).querySelector('#quality')).to.equal(null);
    const writesAtStart = app.log.writeRequests;

    // Stop between steps: 4 images × 8 steps, stopped as soon as the first step is shown.
    await set(block, 'count', '4');
    await set(block, 'steps', '8');
    await typePrompt(block, 'A stopped picture');
    const stopped = recordSteps(block, () => {
      button(block, 'cancel')?.click();
    });
    button(block, 'generate')?.click();
    await until(() => shadow(block).querySelector('[data-outcome="aborted"]') !== null, 'the stopped run');
    stopped.stop();
    expect(stopped.steps.length).to.be.greaterThan(0);
    expect(Math.max(...stopped.steps)).to.be.lessThan(32);
    expect(candidates(block)).to.have.length(0);

    // A whole run: one image × 8 steps, each step shown, in order.
    await set(block, 'count', '1');
    await typePrompt(block, 'A kept picture');
    const run = recordSteps(block);
    button(block, 'generate')?.click();
    await until(() => candidates(block).length === 1 && button(block, 'cancel') === null, 'the candidate');
    run.stop();
    expect(run.steps.length).to.be.greaterThan(1);
    expect(run.steps.at(-1)).to.equal(8);
    for (let index = 1; index < run.steps.length; index += 1)
      expect(run.steps[index], `step ${String(index)}`).to.be.greaterThan(run.steps[index - 1] ?? 0);
    expect(app.log.writeRequests, 'graph writes before Keep').to.equal(writesAtStart);
    // This test page is not cross-origin isolated: one thread, and the picker says why.
    expect(shadow(block).querySelector('[data-threads]')?.textContent).to.contain(
      'runs on 1 thread: this page is not cross-origin isolated',
    );

    shadow(block).querySelector<HTMLInputElement>('figure[data-candidate] input[type="checkbox"]')?.click();
    await block.updateComplete;
    button(block, 'keep')?.click();
    await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the kept image to save');
    expect(imageLinks(app)).to.have.length(1);
    const properties = imageLinks(app)[0]?.entity.properties ?? {};
    expect(properties[TYPE_IDS.property['engine-id']]).to.equal('wasm');
    expect(properties[TYPE_IDS.property['model-id']]).to.equal(TINY);
    expect(properties[TYPE_IDS.property['image-size']]).to.equal('64x64');
    expect(properties[TYPE_IDS.property['image-steps']]).to.equal(8);
    const seed = properties[TYPE_IDS.property['image-seed']];
    if (typeof seed !== 'number') throw new Error(`no seed stored (got ${JSON.stringify(seed)})`);
    expect(properties[TYPE_IDS.property['duration-ms']]).to.be.a('number');

    const dbName = app.config.dbName;
    app.remove();
    opened = await openHostInNewDocument(dbName);
    const reloaded = blockIn(opened.app, 'ai-image');
    expect(reloaded.ownerDocument).to.not.equal(document);
    const kept = () => shadow(reloaded).querySelector<HTMLElement>('figure[data-kept]');
    await until(
      () => (kept()?.querySelector('img')?.naturalWidth ?? 0) > 0,
      'the kept image, loaded, in the new document',
    );
    expect(kept()?.querySelector('img')?.naturalWidth).to.equal(64);
    const provenance = kept()?.querySelector('.provenance')?.textContent ?? '';
    for (const part of ['64x64', 'In browser — CPU', TINY, `seed ${String(seed)}`, '8 steps'])
      expect(provenance, 'the provenance line').to.contain(part);
    expect(provenance).to.match(/\d+\.\d s/);
    // Large: the catalogue's name for the model (not its id) and the image's own pixels.
    kept()?.querySelector<HTMLButtonElement>('button.thumb')?.click();
    const large = shadow(reloaded).querySelector('dialog');
    await until(() => large?.open === true, 'the kept image, large');
    const shown = (name: string) => large?.querySelector(`[data-detail="${name}"]`)?.textContent.trim();
    expect(shown('model')).to.equal(builtInImageCatalogue().find((model) => model.id === TINY)?.name);
    await until(
      () => shown('size') === '64 × 64',
      () => `the pixel size (got "${String(shown('size'))}")`,
    );
    large?.close();
  });

  it('downloads an image model with the shared model manager: state, then Downloaded, storage used', async () => {
    await caches.delete('ai-blocks-image-models');
    const app = await offlineHost();
    const block = blockIn(app, 'ai-image');
    const row = () => shadow(block).querySelector<HTMLElement>(`[data-model="${TINY}"]`);
    await until(() => row()?.getAttribute('data-state') === 'download', 'the test model to need a download');
    expect(row()?.textContent).to.contain('MIT');
    expect(shadow(block).querySelector('[data-storage]')?.textContent).to.contain('Storage used by this site');
    row()?.querySelector<HTMLButtonElement>('button[data-action="download-model"]')?.click();
    await until(() => row()?.getAttribute('data-state') === 'ready', 'the test model to be downloaded');
    expect(row()?.textContent).to.contain('Downloaded');
    // Now cached: the automatic choice needs no download.
    expect(engineSummary(block)).to.not.contain('download');
    // Deleted again, its files stop counting against the site's storage at once (the download
    // kept no Blob of them alive: Chromium would count them until the garbage collector ran).
    const usage = async () => (await navigator.storage.estimate()).usage ?? 0;
    const stored = await usage();
    const model = builtInImageCatalogue().find((entry) => entry.id === TINY);
    if (!model) throw new Error('no tiny model');
    await createImageModelManager({ probe: EMPTY_PROBE }).remove(model);
    expect(await usage()).to.be.lessThan(stored - 100_000);
    app.remove();
  });

  it('shows the cloud options for the OpenAI-compatible engine, and the local ones again for the CPU', async () => {
    const app = await offlineHost();
    const block = blockIn(app, 'ai-image');
    block.settings = { openaiCompatible: { baseURL: 'http://127.0.0.1:9/v1', model: 'dall-e-3' } };
    await until(
      () => engineSummary(block).includes('OpenAI-compatible'),
      () => `the API (got ${engineSummary(block)})`,
    );
    expect(optionsOf(block, 'quality')).to.deep.equal(['', 'standard', 'hd']);
    expect(optionsOf(block, 'size')).to.deep.equal(['1024x1024', '1792x1024', '1024x1792']);
    expect(optionsOf(block, 'count')).to.deep.equal(['1']);
    expect(shadow(block).querySelector('#steps')).to.equal(null);
    await chooseEngine(block, 'wasm');
    expect(optionsOf(block, 'size')).to.deep.equal(['64x64']);
    expect(shadow(block).querySelector('#steps')).to.not.equal(null);
    expect(shadow(block).querySelector('#quality')).to.equal(null);
    app.remove();
  });

  it('refuses a model too large for this GPU in the picker, with the reason, before any download', async () => {
    // A real GPU with f16 but little memory (an estimated 1 GB): SD-Turbo needs about 3.2 GB.
    const smallGpu: CapabilityProbe = {
      webgpu: { adapter: true, isFallbackAdapter: false, shaderF16: true, maxBufferSize: 2 ** 28 },
      wasm: { available: true, simd: true },
      crossOriginIsolated: false,
      hostServiceModule: 'unknown',
    };
    const app = await offlineHost();
    const block = blockIn(app, 'ai-image');
    block.settings = { probe: smallGpu };
    const row = () => shadow(block).querySelector<HTMLElement>('[data-model="sd-turbo-fp16"]');
    await until(() => row()?.getAttribute('data-state') === 'unsupported', 'SD-Turbo to be refused');
    expect(row()?.textContent).to.contain('GPU memory');
    expect(row()?.querySelector('button[data-action="download-model"]')).to.equal(null);
    expect(row()?.querySelector<HTMLInputElement>('input[type="radio"]')?.disabled).to.equal(true);
    // The licence is shown before any download.
    expect(row()?.textContent).to.contain('Non-Commercial');
    const fetched = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.includes('huggingface.co') || entry.name.includes('sd-turbo'));
    expect(fetched, 'requests for SD-Turbo files').to.deep.equal([]);
    app.remove();
  });
});
