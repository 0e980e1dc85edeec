import {
  builtInImageCatalogue,
  createImageBlockEngine,
  createImageModelManager,
  EMPTY_PROBE,
  IMAGE_ENGINE_IDS,
  imageSelectionConfig,
  pageCapabilities,
  selectEngine,
  type CapabilityProbe,
  type EngineId,
  type EngineSelection,
  type ImageCatalogueModel,
  type ImageEngine,
  type ImageEngineId,
  type ImageEngineSettings,
  type ImageModelManager,
  type ModelState,
} from '@ai-blocks/runtime';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ConnectLink } from './connect-link.js';
import { DeleteConfirmation } from './delete-confirmation.js';
import type { ModelDownload } from './engine-choice-controller.js';
import { listenForHostService } from './host-service.js';
import { CONNECTION_CHANGED_EVENT, personConnection } from './person-connection.js';
import type { EnginePicking } from './render-engine-picker.js';

/** Told on the page when a block downloaded or deleted an image model, so every image picker shows it. */
const IMAGE_MODELS_CHANGED_EVENT = 'ai-blocks-image-models-changed';
const TEST_MODEL_ID = 'ai-blocks-tiny-diffusion';

const isImageEngine = (engineId: EngineId): engineId is ImageEngineId =>
  (IMAGE_ENGINE_IDS as readonly string[]).includes(engineId);

/**
 * AI Image's engine and model choice, in `EngineChoiceController`'s shape so `renderEnginePicker`
 * shows it: the page's service, the in-browser image engine on the GPU or the CPU with the image
 * catalogue's models (state, download with progress and cancel, delete, storage used, licence),
 * and an OpenAI-compatible API, chosen by `selectEngine` with its reasons.
 */
export class ImageEngineChoiceController implements ReactiveController, EnginePicking<ImageCatalogueModel> {
  engineChoice: EngineId | 'auto' = 'auto';
  selection: EngineSelection | undefined;
  probe: CapabilityProbe = EMPTY_PROBE;
  readonly models: ImageCatalogueModel[] = builtInImageCatalogue();
  readonly states = new Map<string, ModelState>();
  readonly engineIds: readonly EngineId[] = IMAGE_ENGINE_IDS;
  /** The chosen in-browser model (the bundled test model until the person picks another). */
  modelId = TEST_MODEL_ID;
  download: ModelDownload | undefined;
  downloadError: string | undefined;
  storage: { usage: number; quota: number } | undefined;

  /** A downloaded model's row asking before it is deleted. */
  readonly deletion: DeleteConfirmation;
  /** "Connect a model": an OpenAI-compatible images API the person connects, with its image model. */
  readonly connect: ConnectLink;

  private hostAnswersService: 'yes' | 'no' | 'unknown' = 'unknown';
  private readonly engines = new Map<string, ImageEngine>();
  private manager: ImageModelManager | undefined;
  private refreshRun = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly settings: () => ImageEngineSettings,
  ) {
    host.addController(this);
    this.deletion = new DeleteConfirmation(host);
    this.connect = new ConnectLink(host, {
      purpose: 'images',
      hostConfigured: (kind) => kind === 'openai-compatible' && Boolean(settings().openaiCompatible),
    });
    // An image model the person connected is what they asked to use.
    this.engineChoice = this.connect.follow('auto');
    // Listen from the start: the handshake can complete before the host connects the controller.
    listenForHostService(host, (offered) => {
      this.hostAnswersService = offered ? 'yes' : 'no';
      void this.refresh();
    });
  }

  private readonly handleModelsChanged = (event: Event): void => {
    if (event instanceof CustomEvent && event.detail === this) return;
    void this.refresh();
  };

  // Every picker on the page follows the person's connection (ConnectLink.follow).
  private readonly handleConnectionChanged = (): void => {
    this.engineChoice = this.connect.follow(this.engineChoice);
    this.reselect();
  };

  hostConnected(): void {
    globalThis.addEventListener(IMAGE_MODELS_CHANGED_EVENT, this.handleModelsChanged);
    globalThis.addEventListener(CONNECTION_CHANGED_EVENT, this.handleConnectionChanged);
    void this.refresh();
  }

  /** The host's settings, with the image model the person connected where the host set none up. */
  effectiveSettings(): ImageEngineSettings {
    const settings = this.settings();
    const connection = personConnection();
    if (settings.openaiCompatible || connection?.kind !== 'openai-compatible' || !connection.imageModel)
      return settings;
    const { baseURL, apiKey, imageModel } = connection;
    return { ...settings, openaiCompatible: { baseURL, model: imageModel, ...(apiKey ? { apiKey } : {}) } };
  }

  hostDisconnected(): void {
    globalThis.removeEventListener(IMAGE_MODELS_CHANGED_EVENT, this.handleModelsChanged);
    globalThis.removeEventListener(CONNECTION_CHANGED_EVENT, this.handleConnectionChanged);
    this.connect.close();
    this.download?.abort.abort();
    for (const engine of this.engines.values()) void engine.dispose?.();
    this.engines.clear();
  }

  /** The chosen in-browser model. */
  get model(): ImageCatalogueModel | undefined {
    return this.models.find((model) => model.id === this.modelId);
  }

  /** The engine the next run uses: the person's choice or the automatic one (undefined: none can run). */
  get choice(): ImageEngineId | undefined {
    const choice = this.selection?.choice;
    return choice && isImageEngine(choice) ? choice : undefined;
  }

  activeLocalModel(): ImageCatalogueModel | undefined {
    const choice = this.selection?.choice;
    return choice === 'wasm' || choice === 'webllm' ? this.model : undefined;
  }

  whereModelRuns(model: ImageCatalogueModel): string {
    return model.executionProviders.map((provider) => (provider === 'webgpu' ? 'GPU' : 'CPU')).join(' or ');
  }

  modelNote(model: ImageCatalogueModel): string | undefined {
    const notes = [
      model.sizesAreEstimates ? 'sizes are estimates' : '',
      model.commercialUse ? '' : 'not for commercial use',
      `makes ${model.size.replace('x', '×')} images`,
    ].filter(Boolean);
    return notes.join(' · ');
  }

  /** After the CPU engine has loaded: how many threads it runs on, and why not more. */
  threadsNote(): string | undefined {
    for (const [key, engine] of this.engines) {
      const threads = (engine as { threads?: unknown }).threads;
      if (!key.startsWith('wasm:') || typeof threads !== 'number' || threads < 1) continue;
      const plural = threads === 1 ? 'thread' : 'threads';
      return this.probe.crossOriginIsolated || threads > 1
        ? `The CPU model runs on ${String(threads)} ${plural}.`
        : 'The CPU model runs on 1 thread: this page is not cross-origin isolated (COOP/COEP), ' +
            'which several threads need.';
    }
    return undefined;
  }

  setEngine(choice: EngineId | 'auto'): void {
    this.engineChoice = choice;
    this.reselect();
  }

  chooseModel(model: ImageCatalogueModel): void {
    this.modelId = model.id;
    this.reselect();
  }

  /** Tells the page's other image pickers that a model's state changed, and refreshes this one. */
  announceModelsChanged(): void {
    void this.refresh();
    globalThis.dispatchEvent(new CustomEvent(IMAGE_MODELS_CHANGED_EVENT, { detail: this }));
  }

  /** Probes (once per page), checks every model's state, and selects the engine. */
  async refresh(): Promise<void> {
    const run = ++this.refreshRun;
    const given = this.settings().probe;
    const probe = { ...(given ?? (await pageCapabilities())), hostServiceModule: this.serviceState() };
    const manager = createImageModelManager({ probe });
    const states = await Promise.all(
      this.models.map(
        async (model) =>
          [
            model.id,
            await manager.state(model).catch((): ModelState => ({ kind: 'download', bytes: model.downloadBytes })),
          ] as const,
      ),
    );
    // Absent in Node and in some sandboxed frames.
    const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
    const estimate = await storage?.estimate().catch(() => undefined);
    if (run !== this.refreshRun) return;
    this.manager = manager;
    this.probe = probe;
    this.states.clear();
    for (const [id, state] of states) this.states.set(id, state);
    if (estimate?.usage !== undefined && estimate.quota !== undefined)
      this.storage = { usage: estimate.usage, quota: estimate.quota };
    this.reselect();
  }

  private serviceState(): CapabilityProbe['hostServiceModule'] {
    const given = this.settings().probe?.hostServiceModule;
    return given === 'yes' || given === 'no' ? given : this.hostAnswersService;
  }

  private reselect(): void {
    const model = this.model ?? this.models[0];
    if (!model) return;
    const probe = { ...this.probe, hostServiceModule: this.serviceState() };
    const cached = this.states.get(model.id)?.kind === 'ready';
    this.selection = selectEngine(
      { engineId: this.engineChoice },
      probe,
      imageSelectionConfig(this.effectiveSettings(), model, cached, probe),
    );
    this.host.requestUpdate();
  }

  /** The engine for a choice, created once per configuration and reused (a loaded model stays loaded). */
  engine(engineId: ImageEngineId): ImageEngine {
    const settings = this.effectiveSettings();
    const local = engineId === 'wasm' || engineId === 'webllm';
    const config = local ? this.modelId : JSON.stringify([settings.openaiCompatible, settings.serviceModel]);
    const key = `${engineId}:${config}`;
    let engine = this.engines.get(key);
    if (!engine) {
      engine = createImageBlockEngine(engineId, this.host, settings, this.model);
      this.engines.set(key, engine);
    }
    return engine;
  }

  async downloadModel(model: ImageCatalogueModel): Promise<void> {
    if (this.download || !this.manager) return;
    const abort = new AbortController();
    this.downloadError = undefined;
    this.download = { modelId: model.id, progress: { fraction: 0, text: 'Starting the download' }, abort };
    this.host.requestUpdate();
    try {
      await this.manager.download(model, {
        abortSignal: abort.signal,
        onProgress: (progress) => {
          if (this.download) this.download = { ...this.download, progress };
          this.host.requestUpdate();
        },
      });
    } catch (error) {
      if (!abort.signal.aborted)
        this.downloadError = `${model.name} could not be downloaded: ${
          error instanceof Error ? error.message : String(error)
        }`;
    } finally {
      this.download = undefined;
      this.announceModelsChanged();
    }
  }

  cancelDownload(): void {
    this.download?.abort.abort();
  }

  async deleteModel(model: ImageCatalogueModel): Promise<void> {
    await this.manager?.remove(model).catch(() => undefined);
    for (const [key, engine] of this.engines) {
      if (key.endsWith(`:${model.id}`)) {
        void engine.dispose?.();
        this.engines.delete(key);
      }
    }
    this.announceModelsChanged();
  }
}
