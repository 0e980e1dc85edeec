/** Something that may hold work not yet in the graph (a Saver, a ChatTurnQueue). */
export interface UnsavedWork {
  readonly hasUnsaved: boolean;
}

type UnloadTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/**
 * Asks before the page is left while a registered saver or queue has unsaved work: one
 * `beforeunload` listener per target, present only while something is registered.
 */
export class UnloadGuard {
  private readonly works = new Set<UnsavedWork>();
  private listening = false;

  constructor(private readonly target: UnloadTarget | undefined) {}

  private readonly onBeforeUnload = (event: Event): void => {
    if (!this.hasUnsaved) return;
    event.preventDefault();
    // preventDefault() is the standard; Chromium before 119 (older Electron and WebView hosts)
    // asks only when returnValue is set, so it is set too.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- needed by Chromium < 119, see above
    if (typeof BeforeUnloadEvent !== 'undefined' && event instanceof BeforeUnloadEvent) event.returnValue = '';
  };

  get hasUnsaved(): boolean {
    return [...this.works].some((work) => work.hasUnsaved);
  }

  /** Registers work (again is harmless), e.g. from connectedCallback. */
  add(work: UnsavedWork): void {
    this.works.add(work);
    if (!this.listening && this.target) {
      this.target.addEventListener('beforeunload', this.onBeforeUnload);
      this.listening = true;
    }
  }

  /** Unregisters work, e.g. from disconnectedCallback. */
  remove(work: UnsavedWork): void {
    this.works.delete(work);
    if (this.works.size === 0 && this.listening) {
      this.target?.removeEventListener('beforeunload', this.onBeforeUnload);
      this.listening = false;
    }
  }
}

const pageTarget = typeof window === 'undefined' ? undefined : window;
let pageGuard: UnloadGuard | undefined;

/** The page's guard (each block bundle has its own; each asks for what it registered). */
export function pageUnloadGuard(): UnloadGuard {
  pageGuard ??= new UnloadGuard(pageTarget);
  return pageGuard;
}

/** Asks before leaving the page while `work` has unsaved work; call from connectedCallback. */
export function guardUnload(work: UnsavedWork): void {
  pageUnloadGuard().add(work);
}

/** Stops asking for `work`; call from disconnectedCallback. */
export function releaseUnload(work: UnsavedWork): void {
  pageUnloadGuard().remove(work);
}
