import { expect } from '@open-wc/testing';
import type { ReactiveController } from 'lit';
import { GenerationController, GenerationStatus, type GenerationOutcome, type GenerationRun } from '@ai-blocks/ui';

class FakeHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates += 1;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** A run that yields `parts` one by one, waiting for the test between parts; honours abort. */
function scriptedRun(parts: string[], signal: AbortSignal): GenerationRun & { next: () => void } {
  let release: () => void = () => {};
  let text = '';
  let resolveOutcome: (outcome: GenerationOutcome) => void = () => {};
  const outcome = new Promise<GenerationOutcome>((resolve) => (resolveOutcome = resolve));
  async function* stream(): AsyncGenerator<string> {
    for (const part of parts) {
      await new Promise<void>((resolve) => {
        release = resolve;
        signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
      });
      if (signal.aborted) break;
      text += part;
      yield part;
    }
    resolveOutcome(signal.aborted ? { status: 'aborted', text } : { status: 'complete', text, finishReason: 'stop' });
  }
  return {
    textStream: stream(),
    outcome,
    next: () => {
      release();
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('GenerationController', () => {
  it('streams deltas, then completes with the outcome', async () => {
    const host = new FakeHost();
    const deltas: string[] = [];
    const controller = new GenerationController(host, { onDelta: (delta) => deltas.push(delta) });
    let run: ReturnType<typeof scriptedRun> | undefined;
    const done = controller.start((signal) => (run = scriptedRun(['Hel', 'lo'], signal)));
    await tick();
    expect(controller.status).to.equal(GenerationStatus.LOADING);
    run?.next();
    await tick();
    expect(controller.status).to.equal(GenerationStatus.STREAMING);
    expect(controller.text).to.equal('Hel');
    run?.next();
    const outcome = await done;
    expect(outcome?.status).to.equal('complete');
    expect(controller.status).to.equal(GenerationStatus.COMPLETE);
    expect(deltas).to.deep.equal(['Hel', 'lo']);
    expect(controller.timing?.firstTokenAt).to.be.a('number');
  });

  it('stop keeps the partial text and ends as aborted', async () => {
    const host = new FakeHost();
    const controller = new GenerationController(host);
    let run: ReturnType<typeof scriptedRun> | undefined;
    const done = controller.start((signal) => (run = scriptedRun(['par', 'tial', ' never'], signal)));
    await tick();
    run?.next();
    await tick();
    run?.next();
    await tick();
    controller.stop();
    const outcome = await done;
    expect(outcome?.status).to.equal('aborted');
    expect(controller.text).to.equal('partial');
    expect(controller.status).to.equal(GenerationStatus.ABORTED);
  });

  it('a new run aborts the old one and ignores its result; disconnecting aborts', async () => {
    const host = new FakeHost();
    const finished: string[] = [];
    const controller = new GenerationController(host, { onFinish: (outcome) => finished.push(outcome.text) });
    let firstSignal: AbortSignal | undefined;
    const first = controller.start((signal) => ((firstSignal = signal), scriptedRun(['old'], signal)));
    await tick();
    let second: ReturnType<typeof scriptedRun> | undefined;
    const secondDone = controller.start((signal) => (second = scriptedRun(['new'], signal)));
    expect(firstSignal?.aborted).to.equal(true);
    expect(await first).to.equal(undefined);
    await tick();
    second?.next();
    await secondDone;
    expect(finished).to.deep.equal(['new']);
    let thirdSignal: AbortSignal | undefined;
    const third = controller.start((signal) => ((thirdSignal = signal), scriptedRun(['x'], signal)));
    await tick();
    controller.hostDisconnected();
    expect(thirdSignal?.aborted).to.equal(true);
    expect((await third)?.status).to.equal('aborted');
  });

  it('a failure while preparing becomes an error outcome with the code', async () => {
    const controller = new GenerationController(new FakeHost());
    const outcome = await controller.start(() =>
      Promise.reject(Object.assign(new Error('no GPU'), { code: 'ENGINE_UNAVAILABLE', retryable: false })),
    );
    expect(outcome?.status).to.equal('error');
    expect(outcome?.error).to.deep.equal({ code: 'ENGINE_UNAVAILABLE', message: 'no GPU', retryable: false });
    expect(controller.status).to.equal(GenerationStatus.ERROR);
  });

  it('runs a whole generation: loads the engine with progress, then keeps the run with its provenance', async () => {
    const host = new FakeHost();
    const controller = new GenerationController<{ prompt: string }>(host);
    let finishLoad: () => void = () => {};
    let loaded = 0;
    const engine = {
      engineId: 'wasm',
      modelId: 'tiny',
      load: ({ onProgress }: { onProgress?: (progress: { fraction: number; text: string }) => void }) =>
        new Promise<void>((resolve) => {
          onProgress?.({ fraction: 0.5, text: 'Downloading model' });
          finishLoad = resolve;
        }),
    };
    let run: ReturnType<typeof scriptedRun> | undefined;
    const done = controller.run(engine, (signal) => (run = scriptedRun(['Hi'], signal)), {
      meta: { prompt: 'Say hi' },
      onLoaded: () => (loaded += 1),
    });
    await tick();
    const shown = () =>
      controller.render({
        loading: (progress) => `loading ${String(progress?.fraction)}`,
        streaming: (text) => `streaming ${text}`,
        complete: (finished) => `complete ${finished?.meta.prompt ?? ''}`,
      });
    expect(shown()).to.equal('loading 0.5');
    finishLoad();
    await tick();
    expect(loaded).to.equal(1);
    expect(controller.loadProgress).to.equal(undefined);
    run?.next();
    const finished = await done;
    expect(shown()).to.equal('complete Say hi');
    expect(finished?.provenance).to.include({
      engineId: 'wasm',
      modelId: 'tiny',
      completionStatus: 'complete',
      finishReason: 'stop',
    });
    expect(controller.lastRun).to.equal(finished);
    controller.reset();
    expect(controller.lastRun).to.equal(undefined);
    expect(shown()).to.equal(undefined);
  });

  it('keeps a run whose engine failed to load as an error with the reason', async () => {
    const host = new FakeHost();
    const controller = new GenerationController<undefined>(host);
    const engine = {
      engineId: 'wasm',
      modelId: 'tiny',
      load: () => Promise.reject(Object.assign(new Error('The model file is damaged'), { code: 'MODEL_LOAD_FAILED' })),
    };
    const finished = await controller.run(
      engine,
      () => {
        throw new Error('not reached');
      },
      { meta: undefined },
    );
    expect(controller.status).to.equal(GenerationStatus.ERROR);
    expect(controller.render({ error: (_run, outcome) => outcome.error?.code })).to.equal('MODEL_LOAD_FAILED');
    expect(finished?.provenance.completionStatus).to.equal('error');
  });
});
