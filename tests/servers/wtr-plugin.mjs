// A web-test-runner plugin that starts the project's test servers on loopback (on their own
// ports, so browser calls to them are real cross-origin requests with CORS) and tells tests
// their URLs through the `test-servers` command (`executeServerCommand('test-servers')`).
// Servers start lazily, on the first test that asks, and stop with the test runner.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

export function testServersPlugin() {
  let started;
  let tinyDiffusion;
  let recording;
  const servers = [];
  async function start() {
    const { startFaultServer } = await tsImport('./fault-server.ts', import.meta.url);
    const fault = await startFaultServer();
    servers.push(fault);
    const urls = { fault: fault.baseUrl('SCENARIO') };
    try {
      const { modelServerInstalled } = await import('../model-server/install.mjs');
      if (modelServerInstalled()) {
        const { generateLlamaGguf } = await tsImport('../../packages/test-models/src/index.ts', import.meta.url);
        const { startModelServer } = await tsImport('../model-server/src/server.ts', import.meta.url);
        const modelPath = join(tmpdir(), `ai-blocks-wtr-tiny-${process.pid}.gguf`);
        await writeFile(modelPath, generateLlamaGguf());
        const model = await startModelServer({ modelPath, threads: 1 });
        const slowModel = await startModelServer({ modelPath, threads: 1, pieceDelayMs: 40 });
        servers.push(model, slowModel);
        urls.model = model.url;
        urls.slowModel = slowModel.url;
        urls.modelId = model.modelId;
      }
    } catch (error) {
      console.error(`test servers: the llama.cpp model server could not start: ${error}`);
    }
    return urls;
  }
  return {
    name: 'ai-blocks-test-servers',
    async executeCommand({ command, payload }) {
      if (command === 'test-servers') {
        started ??= start();
        return started;
      }
      if (command === 'recording-server') {
        // The OpenAI-compatible server that records requests (tests/servers/recording-server.ts).
        recording ??= tsImport('./recording-server.ts', import.meta.url).then((module) =>
          module.startRecordingServer(),
        );
        return { url: (await recording).url };
      }
      if (command === 'reliability-figures') {
        // Figures of the reliability suite; scripts/reliability-summary.mjs prints them.
        const dir = join(process.cwd(), 'test-results', 'reliability');
        await mkdir(dir, { recursive: true });
        const suite = String(payload.suite).replace(/[^a-z0-9-]/gi, '_');
        await writeFile(join(dir, `${suite}.json`), JSON.stringify(payload, null, 2));
        return true;
      }
      if (command === 'test-server-requests') {
        // Requests the fault server saw for a scenario (tests assert on downloads).
        await (started ??= start());
        return servers[0].requests
          .filter((request) => request.scenario === payload?.scenario)
          .map((request) => request.path);
      }
      return undefined;
    },
    // Runtime assets the way a build lays them out: /runtime-assets/wllama/… is wllama's ESM build,
    // /runtime-assets/webllm/… web-llm's self-contained ESM bundle, /runtime-assets/onnxruntime-web/…
    // onnxruntime-web's dist, /runtime-assets/models/ai-blocks-tiny-diffusion/… the tiny image model.
    async serve(context) {
      const diffusionPrefix = '/runtime-assets/models/ai-blocks-tiny-diffusion/';
      if (context.path.startsWith(diffusionPrefix)) {
        tinyDiffusion ??= tsImport('../../packages/test-models/src/node.ts', import.meta.url).then(
          (module) => module.tinyDiffusionWithChecksums().files,
        );
        const body = (await tinyDiffusion).get(context.path.slice(diffusionPrefix.length));
        return body
          ? {
              body: Buffer.from(body),
              type: context.path.endsWith('.json')
                ? 'json'
                : context.path.endsWith('.txt')
                  ? 'text'
                  : 'application/octet-stream',
            }
          : undefined;
      }
      const packages = {
        '/runtime-assets/wllama/': '@wllama/wllama/esm/',
        '/runtime-assets/webllm/': '@mlc-ai/web-llm/lib/',
        '/runtime-assets/onnxruntime-web/': 'onnxruntime-web/dist/',
        // The built blocks in the host tests load it from the build's copy: the same files.
        '/dist/runtime-assets/onnxruntime-web/': 'onnxruntime-web/dist/',
      };
      const prefix = Object.keys(packages).find((candidate) => context.path.startsWith(candidate));
      if (!prefix) return undefined;
      const { readFile } = await import('node:fs/promises');
      const file = new URL(
        `../../node_modules/${packages[prefix]}${context.path.slice(prefix.length)}`,
        import.meta.url,
      );
      try {
        const body = await readFile(file);
        // onnxruntime-web goes out as text/javascript, which the dev server does not rewrite: its
        // import resolution would fail on the Node-only `import("module")` inside.
        return {
          body,
          type: context.path.endsWith('.wasm')
            ? 'application/wasm'
            : prefix.endsWith('/runtime-assets/onnxruntime-web/')
              ? 'text/javascript'
              : 'js',
        };
      } catch {
        return undefined;
      }
    },
    async serverStop() {
      await Promise.all([...servers, ...(recording ? [await recording] : [])].map((server) => server.close()));
    },
  };
}
