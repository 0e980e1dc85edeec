import {
  blockSelectionConfig,
  builtInCatalogue,
  chooseWasmBackend,
  createBlockEngine,
  createModelManager,
  customModelFromFile,
  customModelFromUrl,
  EMPTY_PROBE,
  ENGINE_LABELS,
  engineEntry,
  pageCapabilities,
  probeBuiltInAi,
  selectEngine,
  type AiError,
  type BlockEngineSettings,
  type BuiltInAiState,
  type CapabilityProbe,
  type CatalogueModel,
  type EngineId,
  type EngineSelection,
  type LoadProgress,
  type ModelManager,
  type ModelState,
  type TextEngine,
  type WasmBackendChoice,
  webllmModelFor,
} from '@ai-blocks/runtime';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { revealAndFocus } from '../reveal.js';
import { ConnectLink } from './connect-link.js';
import { DeleteConfirmation } from './delete-confirmation.js';
import { DownloadConsent } from './download-consent.js';
import { listenForHostService } from './host-service.js';
import { CONNECTION_CHANGED_EVENT, personConnection } from './person-connection.js';

/** A model download in progress. */
export interface ModelDownload {
  modelId: string;
  progress: LoadProgress;
  abort: AbortController;
}

const CUSTOM_MODELS_KEY = 'ai-blocks:custom-models';
/** The Wasm engine (llama.cpp) when it runs the GGUF on the GPU: its picker label and name in a sentence. */
const WASM_ON_GPU_LABEL = 'In browser — GGUF on the GPU (free, private)';
const WASM_ON_GPU_NAME = 'the in-browser model (GGUF on the GPU, WebGPU)';
/** Told on the page when a block downloaded, loaded or deleted a model, so every picker shows it. */
const MODELS_CHANGED_EVENT = 'ai-blocks-models-changed';

/**
 * The engine and model choice of a block: probes the page once, asks the host whether it offers
 * the service module, keeps each catalogue model's state (cached, needs a download, or not
 * supported here and why), downloads and deletes models, and runs `selectEngine` so the picker
 * can say why each engine can or cannot run. Blocks render it with `renderEnginePicker`.
 */
export class EngineChoiceController implements ReactiveController {
  /** The person's engine choice. */
  engineChoice: EngineId | 'auto';
  selection: EngineSelection | undefined;
  probe: CapabilityProbe = EMPTY_PROBE;
  /** Built-in models plus the ones the person added (by URL on an earlier visit, or now). */
  models: CatalogueModel[] = [...builtInCatalogue(), ...loadCustomModels()];
  readonly states = new Map<string, ModelState>();
  /** Chosen models, by engine. */
  wasmModelId = 'ai-blocks-tiny';
  webllmModelId: string | undefined;
  download: ModelDownload | undefined;
  /** The last download's failure, for a message under the picker. */
  downloadError: string | undefined;
  storage: { usage: number; quota: number } | undefined;
  /** Set when the GPU engine could not load and the CPU engine took over. */
  fallbackNotice: string | undefined;
  /** A run waiting for the person to agree to download its model. */
  readonly consent: DownloadConsent;
  /** A downloaded model's row asking before it is deleted. */
  readonly deletion: DeleteConfirmation;
  /** "Connect a model": the form, and the model the person connected. */
  readonly connect: ConnectLink;

  private hostAnswersService: 'yes' | 'no' | 'unknown' = 'unknown';
  private readonly engines = new Map<string, TextEngine>();
  private manager: ModelManager | undefined;
  private refreshRun = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly settings: () => BlockEngineSettings,
  ) {
    host.addController(this);
    this.consent = new DownloadConsent(host);
    this.deletion = new DeleteConfirmation(host);
    this.connect = new ConnectLink(host, {
      purpose: 'text',
      hostConfigured: (kind) => Boolean(kind === 'anthropic' ? settings().anthropic : settings().openaiCompatible),
    });
    // A model the person connected (on this page, or remembered) is what they asked to use.
    this.engineChoice = this.connect.follow('auto');
    // Listen from the start: the handshake can complete before the host connects the controller.
    listenForHostService(host, (offered) => {
      this.hostAnswersService = offered ? 'yes' : 'no';
      void this.refresh();
    });
  }

  private readonly handleModelsChanged = (event: Event): void => {
    // This picker refreshed itself when it announced the change: only the others listen.
    if (event instanceof CustomEvent && event.detail === this) return;
    void this.refresh();
  };

  // Every picker on the page follows the person's connection (ConnectLink.follow).
  private readonly handleConnectionChanged = (): void => {
    this.engineChoice = this.connect.follow(this.engineChoice);
    this.reselect();
  };

  hostConnected(): void {
    globalThis.addEventListener(MODELS_CHANGED_EVENT, this.handleModelsChanged);
    globalThis.addEventListener(CONNECTION_CHANGED_EVENT, this.handleConnectionChanged);
    void this.refresh();
  }

  /**
   * A model's state may have changed (e.g. a generation loaded it): this picker refreshes, and
   * tells the page's other pickers, which refresh in turn.
   */
  announceModelsChanged(): void {
    void this.refresh();
    globalThis.dispatchEvent(new CustomEvent(MODELS_CHANGED_EVENT, { detail: this }));
  }

  hostDisconnected(): void {
    globalThis.removeEventListener(MODELS_CHANGED_EVENT, this.handleModelsChanged);
    globalThis.removeEventListener(CONNECTION_CHANGED_EVENT, this.handleConnectionChanged);
    this.connect.close();
    this.download?.abort.abort();
    for (const engine of this.engines.values()) void engine.dispose?.();
    this.engines.clear();
  }

  /** The settings with the chosen models applied: what engines are created from. */
  effectiveSettings(): BlockEngineSettings {
    const settings = { ...this.settings(), probe: this.probe };
    // The model the person connected, unless the host set that kind of engine up itself.
    const { kind, baseURL, apiKey, model } = personConnection() ?? {};
    if (kind === 'openai-compatible' && baseURL && model && !settings.openaiCompatible)
      settings.openaiCompatible = { baseURL, model, ...(apiKey ? { apiKey } : {}) };
    if (kind === 'anthropic' && baseURL && apiKey && model && !settings.anthropic)
      settings.anthropic = { apiKey, model, baseURL };
    const wasm = this.models.find((model) => model.id === this.wasmModelId && model.engine === 'wasm');
    // A host's own CPU model URL wins until the person picks another model.
    if (wasm && !(settings.wasmModelUrl && this.wasmModelId === 'ai-blocks-tiny')) settings.wasmModel = wasm;
    const webllm = this.models.find((model) => model.id === this.webllmModelId && model.engine === 'webllm');
    if (webllm) settings.webllmModel = webllm;
    return settings;
  }

  /** The model the chosen (or automatically selected) local engine would run. */
  activeLocalModel(): CatalogueModel | undefined {
    const engineId = this.selection?.choice;
    if (engineId === 'wasm')
      return this.effectiveSettings().wasmModel ?? this.models.find((model) => model.id === 'ai-blocks-tiny');
    if (engineId === 'webllm') return webllmModelFor(this.effectiveSettings(), this.probe);
    return undefined;
  }

  setEngine(choice: EngineId | 'auto'): void {
    this.engineChoice = choice;
    // Select at once from what is known, so a Generate right after the change uses it.
    this.reselect();
    void this.refresh();
  }

  chooseModel(model: CatalogueModel): void {
    if (model.engine === 'wasm') this.wasmModelId = model.id;
    else this.webllmModelId = model.id;
    if (this.engineChoice !== 'auto' && this.engineChoice !== model.engine) this.engineChoice = model.engine;
    this.reselect();
    void this.refresh();
  }

  /** Probes (once per page), checks every model's state, and selects the engine. */
  async refresh(): Promise<void> {
    const run = ++this.refreshRun;
    const given = this.settings().probe;
    const probe = {
      ...(given ?? (await pageCapabilities())),
      hostServiceModule: this.serviceState(),
      // Asked on every refresh: Chrome's answer changes once it has downloaded its model.
      browserAi: given?.browserAi ?? (await probeBuiltInAi()),
    };
    // Cheap to create; made from each probe, so an injected probe is used for downloads too.
    const manager = createModelManager({ probe });
    const states = await Promise.all(
      this.models.map(
        async (model) =>
          [
            model.id,
            await manager.state(model).catch((): ModelState => ({ kind: 'download', bytes: model.downloadBytes })),
          ] as const,
      ),
    );
    const storage = await manager.storage();
    if (run !== this.refreshRun) return;
    this.manager = manager;
    this.probe = probe;
    this.states.clear();
    for (const [id, state] of states) this.states.set(id, state);
    // A model added by URL learns its size from its server: the download question and cap use it.
    this.models = this.models.map((model) => {
      const state = this.states.get(model.id);
      return model.custom && !model.downloadBytes && state?.kind === 'download' && state.bytes > 0
        ? { ...model, downloadBytes: state.bytes }
        : model;
    });
    this.storage = storage;
    this.reselect();
  }

  /** Whether the host offers the service module: an injected probe that knows wins. */
  private serviceState(): CapabilityProbe['hostServiceModule'] {
    const given = this.settings().probe?.hostServiceModule;
    return given === 'yes' || given === 'no' ? given : this.hostAnswersService;
  }

  /** Runs the selection on the current probe and model states (no waiting). */
  private reselect(): void {
    const probe = { ...this.probe, hostServiceModule: this.serviceState() };
    const settings = this.effectiveSettings();
    const wasmId = settings.wasmModel?.id ?? 'ai-blocks-tiny';
    // The same model the GPU engine would be created with.
    const webllmId = webllmModelFor(settings, probe)?.id;
    const cached = {
      wasm: settings.wasmModelUrl && !settings.wasmModel ? false : this.states.get(wasmId)?.kind === 'ready',
      webllm: webllmId !== undefined && this.states.get(webllmId)?.kind === 'ready',
    };
    const selection = selectEngine(
      { engineId: this.engineChoice },
      probe,
      blockSelectionConfig(settings, cached, probe),
    );
    // The table names the Wasm engine for its CPU path; on the GPU the summary says so instead.
    if (selection.choice === 'wasm' && this.wasmBackend()?.backend === 'webgpu')
      selection.summary = selection.summary.replace(engineEntry('wasm').name, WASM_ON_GPU_NAME);
    this.selection = selection;
    this.host.requestUpdate();
  }

  /**
   * True when a run may start now; false when it must first download a large model the person
   * has not agreed to on this page (the picker then asks, and runs `run` once they agree).
   */
  allowsRun(run: () => void): boolean {
    if (this.consent.allows(this.activeLocalModel(), this.selection?.pendingDownloadBytes, run)) return true;
    // The question appears in the picker: take the keyboard (and a screen reader) to it.
    void this.host.updateComplete.then(() =>
      revealAndFocus(this.host.shadowRoot?.querySelector<HTMLElement>('[data-action="confirm-download"]')),
    );
    return false;
  }

  /** The engine for a choice, created once per configuration and reused. */
  engine(engineId: EngineId): TextEngine {
    const settings = this.effectiveSettings();
    const config =
      engineId === 'wasm'
        ? (settings.wasmModel?.id ?? settings.wasmModelUrl ?? '')
        : engineId === 'webllm'
          ? (settings.webllmModel?.id ?? '')
          : JSON.stringify(engineId === 'openai-compatible' ? settings.openaiCompatible : settings.anthropic);
    const key = `${engineId}:${config}`;
    let engine = this.engines.get(key);
    if (!engine) {
      engine = createBlockEngine(engineId, this.host, settings, {
        probe: this.probe,
        onFallback: (reason: AiError) => {
          this.fallbackNotice = `The GPU model could not load (${reason.message}); using the CPU model instead.`;
          this.host.requestUpdate();
        },
      });
      this.engines.set(key, engine);
    }
    return engine;
  }

  /**
   * After the Wasm engine has loaded: where it runs the GGUF and why, and how many threads it
   * runs on (and why not more).
   */
  threadsNote(): string | undefined {
    for (const [key, engine] of this.engines) {
      const { threads, backend, backendText } = engine as {
        threads?: unknown;
        backend?: unknown;
        backendText?: unknown;
      };
      if (!key.startsWith('wasm:') || typeof threads !== 'number' || threads < 1) continue;
      const where = typeof backendText === 'string' ? `${backendText} ` : '';
      if (backend === 'webgpu') return where.trim();
      const plural = threads === 1 ? 'thread' : 'threads';
      return this.probe.crossOriginIsolated || threads > 1
        ? `${where}The CPU model runs on ${String(threads)} ${plural}.`
        : `${where}The CPU model runs on 1 thread: this page is not cross-origin isolated (COOP/COEP), ` +
            'which several threads need.';
    }
    return undefined;
  }

  /**
   * Where the Wasm engine runs its GGUF (`model`, default the chosen one): as it loaded, or
   * else as the page's probe predicts with the engine's own rule (`chooseWasmBackend`).
   */
  wasmBackend(model?: CatalogueModel): WasmBackendChoice | undefined {
    const chosen = this.effectiveSettings().wasmModel ?? this.models.find((entry) => entry.id === 'ai-blocks-tiny');
    const target = model ?? chosen;
    if (!model || model.id === chosen?.id) {
      for (const [key, engine] of this.engines) {
        const { backend, backendText } = engine as { backend?: unknown; backendText?: unknown };
        if (key.startsWith('wasm:') && (backend === 'webgpu' || backend === 'cpu') && typeof backendText === 'string')
          return { backend, text: backendText };
      }
    }
    if (!this.probe.wasm.available) return undefined;
    return chooseWasmBackend(this.probe.webgpu, target ? { modelBytes: target.downloadBytes } : {});
  }

  /** An engine's name in the picker: the Wasm engine's says whether it runs on the GPU. */
  engineLabel(engineId: EngineId): string {
    return engineId === 'wasm' && this.wasmBackend()?.backend === 'webgpu'
      ? WASM_ON_GPU_LABEL
      : ENGINE_LABELS[engineId];
  }

  /** Where a model runs, for the picker's model list. */
  whereModelRuns(model: CatalogueModel): string {
    if (model.engine === 'wasm' && this.wasmBackend(model)?.backend === 'webgpu') return 'GPU, GGUF';
    return engineEntry(model.engine).short ?? '';
  }

  /** Downloads a model into the browser's cache, with progress and cancel. */
  async downloadModel(model: CatalogueModel): Promise<void> {
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
      if (!abort.signal.aborted) {
        const reason = error instanceof Error ? error.message : String(error);
        this.downloadError = `${model.name} could not be downloaded: ${reason}`;
      }
    } finally {
      this.download = undefined;
      this.announceModelsChanged();
    }
  }

  /** Chrome's built-in model on this page, as last probed. */
  browserAiState(): BuiltInAiState | undefined {
    return this.probe.browserAi;
  }

  /**
   * Asks Chrome to download its built-in model, with Chrome's own progress. Call it straight from
   * the click: Chrome accepts `create()` then only with that click's user activation.
   */
  downloadBrowserAi(): void {
    if (this.download) return;
    const abort = new AbortController();
    this.downloadError = undefined;
    const download = { modelId: 'browser-ai', progress: { fraction: 0, text: 'Asking Chrome for its model' }, abort };
    this.download = download;
    const loading = this.engine('browser-ai').load?.({
      abortSignal: abort.signal,
      onProgress: (progress) => {
        if (this.download?.abort === abort) this.download = { ...download, progress };
        this.host.requestUpdate();
      },
    });
    this.host.requestUpdate();
    void Promise.resolve(loading)
      .catch((error: unknown) => {
        if (!abort.signal.aborted) this.downloadError = error instanceof Error ? error.message : String(error);
      })
      .finally(() => {
        this.download = undefined;
        this.announceModelsChanged();
      });
  }

  cancelDownload(): void {
    this.download?.abort.abort();
  }

  async deleteModel(model: CatalogueModel): Promise<void> {
    await this.manager?.remove(model).catch(() => undefined);
    // A loaded engine would keep the model in memory: drop it too.
    for (const [key, engine] of this.engines) {
      if (key.includes(model.id)) {
        void engine.dispose?.();
        this.engines.delete(key);
      }
    }
    this.announceModelsChanged();
  }

  /** Adds a GGUF by URL (kept for next visits) and chooses it. Returns an error message, if any. */
  addModelUrl(url: string): string | undefined {
    let model: CatalogueModel;
    try {
      model = customModelFromUrl(url.trim());
    } catch (error) {
      // An AiError says which URLs are accepted (https, or http on this computer).
      return error instanceof TypeError || !(error instanceof Error)
        ? 'That is not a URL. Paste the address of a .gguf file.'
        : error.message;
    }
    if (!this.models.some((existing) => existing.id === model.id)) {
      this.models = [...this.models, model];
      saveCustomModels(this.models);
    }
    this.chooseModel(model);
    return undefined;
  }

  /** Adds a GGUF the person picked (for this visit; it is read in place) and chooses it. */
  addModelFile(file: File): void {
    const model = customModelFromFile(file);
    this.models = [...this.models.filter((existing) => existing.id !== model.id), model];
    this.chooseModel(model);
  }
}

function loadCustomModels(): CatalogueModel[] {
  try {
    const urls = JSON.parse(storage()?.getItem(CUSTOM_MODELS_KEY) ?? '[]') as unknown;
    // A stored URL that is no longer accepted (not https) is skipped, not the whole list.
    return Array.isArray(urls)
      ? urls
          .filter((url): url is string => typeof url === 'string')
          .flatMap((url) => {
            try {
              return [customModelFromUrl(url)];
            } catch {
              return [];
            }
          })
      : [];
  } catch {
    return [];
  }
}

function saveCustomModels(models: CatalogueModel[]): void {
  try {
    storage()?.setItem(
      CUSTOM_MODELS_KEY,
      JSON.stringify(models.filter((model) => model.custom && model.url).map((model) => model.url)),
    );
  } catch {
    // Storage may be unavailable (private mode, sandboxed frame): the model stays for this visit.
  }
}

// Absent in some sandboxed frames and in Node.
function storage(): Storage | undefined {
  return (globalThis as { localStorage?: Storage }).localStorage;
}
