import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BlockGraph, BlockGraphAccess, GraphModuleLike } from '@ai-blocks/persistence';

/**
 * A stand-in for a Lit block element in Node tests: runs its controllers' lifecycle the way
 * ReactiveElement does, and holds the `graph` and `graphModule` an embedder would set.
 */
export class FakeElement implements ReactiveControllerHost {
  graph: BlockGraph | undefined;
  graphModule: GraphModuleLike | undefined;
  updatesRequested = 0;
  readonly updateComplete = Promise.resolve(true);
  private readonly controllers: ReactiveController[] = [];

  /** What a block passes to its block-entity controller. */
  readonly access: BlockGraphAccess = { graph: () => this.graph, graphModule: () => this.graphModule };

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(controller: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(controller), 1);
  }
  requestUpdate(): void {
    this.updatesRequested += 1;
  }
  connect(): void {
    for (const controller of this.controllers) controller.hostConnected?.();
  }
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
  /** One update: what Lit runs between willUpdate and render. */
  update(): void {
    for (const controller of this.controllers) controller.hostUpdate?.();
  }
}
