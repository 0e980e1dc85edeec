import { expect } from '@open-wc/testing';

// The isolated run serves COOP/COEP headers so WebAssembly can use threads.
describe('cross-origin isolated test page', () => {
  it('has SharedArrayBuffer available for Wasm threads', () => {
    expect(globalThis.crossOriginIsolated).to.equal(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    expect(memory.buffer).to.be.instanceOf(SharedArrayBuffer);
  });
});
