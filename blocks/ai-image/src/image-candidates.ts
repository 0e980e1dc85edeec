import { TYPE_IDS } from '@ai-blocks/block-metadata';
import {
  BlockEntityController,
  keepImage,
  readKeptImages,
  type BlockGraphAccess,
  type ImageToKeep,
  type KeptImage,
  type Provenance,
  type SaveState,
} from '@ai-blocks/persistence';
import type { GeneratedImage } from '@ai-blocks/runtime';
import type { Entity, EntityRootType, Subgraph } from '@blockprotocol/graph';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const PROMPT_KEY = TYPE_IDS.property.prompt;

/** One generated image on offer: a blob URL to show it, and whether the person ticked Keep. */
export interface Candidate {
  id: string;
  image: GeneratedImage;
  url: string;
  selected: boolean;
  /** The run's, with the model the service says made this image where it names one. */
  provenance: Provenance;
}

/** What the candidates were made with: stored with each image that is kept. */
export interface CandidateRun {
  prompt: string;
  size: string;
  quality?: string;
  /** Denoising steps, for an in-browser model's run (each image carries its own seed). */
  steps?: number;
  provenance: Provenance;
}

const objectUrl = (image: GeneratedImage) =>
  URL.createObjectURL(new Blob([image.bytes.slice().buffer], { type: image.mediaType }));

/**
 * AI Image's state beside its element: the last run's candidates and which ones the person
 * ticked, the prompt (restored from the block entity), and the kept images read from the
 * graph. Keeping writes only the chosen images, through the block-entity controller's saver
 * (each file and link once, also across retries and re-attaching); discarded candidates are
 * never uploaded, and their blob URLs are revoked. Testable in Node with a fake host.
 */
export class ImageCandidatesController implements ReactiveController {
  prompt = '';
  /** True while the prompt shown is the one the graph held (not typed here). */
  promptFromGraph = false;
  /** The last run's candidates, until they are kept or discarded. */
  candidates: Candidate[] = [];
  /** What the candidates were made with. */
  run: CandidateRun | undefined;
  /** The images the graph holds for this block, oldest first. */
  kept: KeptImage[] = [];

  readonly entities: BlockEntityController;
  private readonly saver;
  /** Images being kept, in order; only ones the person chose, so nothing is orphaned. */
  private keeping: ImageToKeep[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    access: BlockGraphAccess,
  ) {
    host.addController(this);
    this.entities = new BlockEntityController(host, access, {
      graphTimeoutMs: 30_000,
      onChange: (subgraph, entity) => {
        this.read(subgraph, entity);
      },
    });
    this.saver = this.entities.saver<ImageToKeep[]>(async (images, { client }) => {
      // keepImage finds what an earlier attempt wrote, so retrying the whole list is safe.
      for (const image of images) await keepImage(client, image);
      this.keeping = this.keeping.filter((image) => !images.includes(image));
    });
  }

  get saveState(): SaveState {
    return this.saver.state;
  }

  /** How many kept images are not yet in the graph. */
  get pending(): number {
    return this.keeping.length;
  }

  hostConnected(): void {
    // Attached again: the candidates' URLs were revoked when the element was detached.
    for (const candidate of this.candidates) candidate.url = objectUrl(candidate.image);
  }

  hostDisconnected(): void {
    this.revoke();
  }

  private read(subgraph: Subgraph<EntityRootType>, blockEntity: Entity | undefined): void {
    this.kept = readKeptImages(subgraph, blockEntity).images;
    const stored = blockEntity?.properties[PROMPT_KEY];
    if (!this.prompt && typeof stored === 'string') {
      this.prompt = stored;
      this.promptFromGraph = true;
    }
  }

  /** The prompt as the person types it. */
  setPrompt(prompt: string): void {
    this.prompt = prompt;
    this.promptFromGraph = false;
    this.host.requestUpdate();
  }

  /** Offers a run's images as candidates, replacing the last run's. */
  offer(images: GeneratedImage[], run: CandidateRun): void {
    this.revoke();
    this.run = run;
    this.candidates = images.map((image) => ({
      id: crypto.randomUUID(),
      image,
      url: objectUrl(image),
      selected: false,
      provenance: image.modelId ? { ...run.provenance, modelId: image.modelId } : run.provenance,
    }));
    this.host.requestUpdate();
  }

  toggle(candidate: Candidate): void {
    candidate.selected = !candidate.selected;
    this.host.requestUpdate();
  }

  /** Keeps the ticked candidates (saved in the background) and discards the rest. */
  keepSelected(): void {
    const { run } = this;
    const blockEntity = this.entities.blockEntity;
    if (!run || this.entities.readonly || !blockEntity) return;
    for (const candidate of this.candidates.filter((item) => item.selected)) {
      const image: ImageToKeep = {
        blockEntity,
        clientId: candidate.id,
        bytes: candidate.image.bytes,
        mediaType: candidate.image.mediaType,
        prompt: run.prompt,
        size: run.size,
        provenance: candidate.provenance,
      };
      if (run.quality) image.quality = run.quality;
      if (candidate.image.revisedPrompt) image.revisedPrompt = candidate.image.revisedPrompt;
      if (candidate.image.seed !== undefined) image.seed = candidate.image.seed;
      if (run.steps !== undefined) image.steps = run.steps;
      this.keeping.push(image);
    }
    // The rest are discarded: they were never uploaded.
    this.discardAll();
    void this.saver.save([...this.keeping]);
  }

  discardAll(): void {
    this.revoke();
    this.candidates = [];
    this.run = undefined;
    this.host.requestUpdate();
  }

  /** Tries a failed save again now. */
  retrySave(): void {
    this.saver.retryNow();
  }

  private revoke(): void {
    for (const candidate of this.candidates) URL.revokeObjectURL(candidate.url);
  }
}
