// Two worker statements too long for one source line, spliced into the source below.
const WRAP_FEEDS =
  'for (const [name, tensor] of Object.entries(message.feeds)) ' +
  'feeds[name] = new ort.Tensor(tensor.type, tensor.data, tensor.dims);';
const POST_ERROR =
  'self.postMessage({ id: message.id, error: ' +
  "{ name: (error && error.name) || 'Error', message: String((error && error.message) || error) } });";

/**
 * The module worker that hosts onnxruntime-web, as source text: the worker is started from a
 * Blob URL (a worker script must be same-origin, the runtime assets may be on another origin)
 * and imports onnxruntime-web from its absolute URL. It only holds sessions and runs them; the
 * pipeline's arithmetic (tokens, scheduler, pixels) stays in the page, where it costs little.
 *
 * Protocol: `{id, type, ...}` in, `{id, result}` or `{id, error: {name, message}}` out.
 * - init `{moduleUrl, wasmBase, threads}` → `{version}`
 * - create `{name, bytes, provider}` → `{inputs: [{name, type}]}`
 * - run `{name, feeds: {input: {type, data, dims}}, outputs}` → `{output: {type, data, dims}}`
 * - release → `true`
 */
export const ONNX_WORKER_SOURCE = `
let ort;
const sessions = new Map();
self.onmessage = async (event) => {
  const message = event.data;
  try {
    let result;
    const transfer = [];
    if (message.type === 'init') {
      ort = await import(message.moduleUrl);
      ort.env.wasm.wasmPaths = message.wasmBase;
      ort.env.wasm.numThreads = message.threads;
      ort.env.logLevel = 'error';
      result = { version: ort.env.versions ? ort.env.versions.web : undefined };
    } else if (message.type === 'create') {
      const previous = sessions.get(message.name);
      if (previous) await previous.release();
      sessions.delete(message.name);
      const session = await ort.InferenceSession.create(new Uint8Array(message.bytes), {
        executionProviders: [message.provider],
        graphOptimizationLevel: 'all',
        freeDimensionOverrides: { batch_size: 1 },
      });
      sessions.set(message.name, session);
      const metadata = session.inputMetadata || [];
      result = { inputs: metadata.map((input) => ({ name: input.name, type: input.isTensor ? input.type : 'other' })) };
    } else if (message.type === 'run') {
      const session = sessions.get(message.name);
      if (!session) throw new Error('No session named ' + message.name);
      const feeds = {};
      ${WRAP_FEEDS}
      const outputs = await session.run(feeds, message.outputs);
      result = {};
      for (const name of message.outputs) {
        const tensor = outputs[name];
        if (!tensor) continue;
        const data = tensor.data.slice();
        result[name] = { type: tensor.type, data, dims: Array.from(tensor.dims) };
        transfer.push(data.buffer);
        if (tensor.dispose) tensor.dispose();
      }
    } else if (message.type === 'release') {
      for (const session of sessions.values()) await session.release();
      sessions.clear();
      result = true;
    } else {
      throw new Error('Unknown message ' + message.type);
    }
    self.postMessage({ id: message.id, result }, transfer);
  } catch (error) {
    ${POST_ERROR}
  }
};
`;
