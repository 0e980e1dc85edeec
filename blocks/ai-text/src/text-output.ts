import type { ReactiveControllerHost } from 'lit';
import {
  BlockEntityController,
  readTextBlock,
  saveTextOutput,
  type BlockGraphAccess,
  type Provenance,
  type SaveState,
  type TextBlockView,
  type TextOutput,
} from '@ai-blocks/persistence';

/** What the block shows: the kept text, the prompt form, or the editor. */
export type TextMode = 'view' | 'compose' | 'edit';

/** A finished (or stopped) run the person may keep. */
export interface TextRun {
  prompt: string;
  text: string;
  provenance: Provenance;
}

/**
 * AI Text's state beside its element: the kept text read from the block entity, the prompt and
 * its settings, which view shows, and every way the text changes (keep, discard, edit,
 * regenerate). Writes go through the block-entity controller's saver, so a kept text is shown
 * at once and written (and retried) in the background. Testable in Node with a fake host.
 */
export class TextOutputController {
  mode: TextMode = 'compose';
  prompt = '';
  systemPrompt = '';
  temperature = 0.7;
  maxOutputTokens = 1024;
  /** The editor's text while editing. */
  draftText = '';
  /** The kept text as the block shows it (the graph's, or what was just kept). */
  view: TextBlockView = readTextBlock(undefined);

  readonly entities: BlockEntityController;
  private readonly saver;

  constructor(
    private readonly host: ReactiveControllerHost,
    access: BlockGraphAccess,
    /** True while a run is loading or streaming: the graph then does not change the view. */
    private readonly busy: () => boolean,
  ) {
    this.entities = new BlockEntityController(host, access, {
      watch: 'entity',
      onChange: (_subgraph, entity) => {
        this.read(readTextBlock(entity));
      },
    });
    this.saver = this.entities.saver<TextOutput>(async (output, { client, blockEntity }) => {
      await saveTextOutput(client, blockEntity, output);
    });
  }

  get saveState(): SaveState {
    return this.saver.state;
  }

  /** The text and settings the graph holds now (another tab, or this block's own write). */
  private read(view: TextBlockView): void {
    this.view = view;
    if (this.busy() || this.mode === 'edit') return;
    this.mode = view.text ? 'view' : 'compose';
    if (!this.prompt) this.prompt = view.prompt;
    if (view.systemPrompt !== undefined) this.systemPrompt = view.systemPrompt;
    if (view.temperature !== undefined) this.temperature = view.temperature;
    if (view.maxOutputTokens !== undefined) this.maxOutputTokens = view.maxOutputTokens;
  }

  /** The system instruction to send, if the person wrote one. */
  get system(): string | undefined {
    return this.systemPrompt.trim() || undefined;
  }

  /** Keeps a run's text as the block's text: shown at once, saved in the background. */
  keep(run: TextRun): void {
    const output: TextOutput = {
      prompt: run.prompt,
      text: run.text,
      temperature: this.temperature,
      maxOutputTokens: this.maxOutputTokens,
      provenance: run.provenance,
    };
    if (this.system) output.systemPrompt = this.system;
    this.view = { ...this.view, prompt: output.prompt, text: output.text, provenance: output.provenance };
    this.mode = 'view';
    this.changed();
    void this.saver.save(output);
  }

  /** Back to the kept text (or the empty form) without keeping the run. */
  discard(): void {
    this.mode = this.view.text ? 'view' : 'compose';
    this.changed();
  }

  edit(): void {
    this.draftText = this.view.text;
    this.mode = 'edit';
    this.changed();
  }

  cancelEdit(): void {
    this.mode = 'view';
    this.changed();
  }

  /** Saves the edited text, keeping the prompt and provenance it came with. */
  saveEdit(): void {
    const text = this.draftText;
    // Text changed by hand is no longer the model's alone: its provenance says so.
    const provenance =
      text === this.view.text ? this.view.provenance : { ...this.view.provenance, editedAt: new Date().toISOString() };
    this.view = { ...this.view, text, provenance };
    this.mode = 'view';
    this.changed();
    void this.saver.save({
      prompt: this.view.prompt,
      text,
      provenance,
      ...(this.view.systemPrompt ? { systemPrompt: this.view.systemPrompt } : {}),
    });
  }

  /** Opens the prompt form with the kept text's prompt, to write it again. */
  regenerate(): void {
    this.prompt = this.view.prompt;
    this.mode = 'compose';
    this.changed();
  }

  /** Tries a failed save again now. */
  retrySave(): void {
    this.saver.retryNow();
  }

  /** Sets temperature and/or length (the sampling controls call this). */
  setSampling(change: Partial<Pick<TextOutputController, 'temperature' | 'maxOutputTokens'>>): void {
    Object.assign(this, change);
    this.changed();
  }

  /** Sets a form field (the element's inputs call this). */
  set<K extends 'prompt' | 'systemPrompt' | 'draftText'>(field: K, value: this[K]): void {
    this[field] = value;
    this.changed();
  }

  private changed(): void {
    this.host.requestUpdate();
  }
}
