/**
 * The page side of the onnxruntime-web worker: starts it from a Blob URL, sends requests and
 * matches answers. A worker that dies rejects every pending request.
 */
import { AiError, AiErrorCode } from '../../interface/errors.js';
import type { SessionRunner } from './pipeline.js';
import type { TensorData, TensorType } from './tensor-data.js';
import { ONNX_WORKER_SOURCE } from './worker-source.js';

export interface WorkerOptions {
  /** Absolute URL of onnxruntime-web's ES module (e.g. `…/onnxruntime-web/ort.wasm.min.mjs`). */
  moduleUrl: string;
  /** Absolute URL of the folder with its `.mjs`/`.wasm` files, ending in `/`. */
  wasmBase: string;
  threads: number;
}

/** An error the worker reported, by name and message. */
export class WorkerReportedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface OnnxWorker {
  /** onnxruntime-web's version, once started. */
  readonly version: string | undefined;
  /** Creates (or replaces) a named session; the bytes are transferred to the worker. */
  createSession(name: string, bytes: ArrayBuffer, provider: 'webgpu' | 'wasm'): Promise<SessionRunner>;
  /** Frees every session and stops the worker. */
  terminate(): Promise<void>;
}

const TENSOR_TYPES = new Set<string>(['float32', 'float16', 'int32', 'int64']);

/** Starts the worker and loads onnxruntime-web in it; ENGINE_UNAVAILABLE when that fails. */
export async function startOnnxWorker(options: WorkerOptions): Promise<OnnxWorker> {
  const blobUrl = URL.createObjectURL(new Blob([ONNX_WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(blobUrl, { type: 'module', name: 'ai-blocks-onnx-image' });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let dead: AiError | undefined;
  const fail = (error: AiError) => {
    dead ??= error;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };
  worker.addEventListener(
    'message',
    (event: MessageEvent<{ id: number; result?: unknown; error?: { name: string; message: string } }>) => {
      const entry = pending.get(event.data.id);
      if (!entry) return;
      pending.delete(event.data.id);
      if (event.data.error) entry.reject(new WorkerReportedError(event.data.error.name, event.data.error.message));
      else entry.resolve(event.data.result);
    },
  );
  worker.addEventListener('error', (event: Event) => {
    // Handled here, or the page reports it as an uncaught error too.
    event.preventDefault();
    const message = event instanceof ErrorEvent && event.message ? event.message : 'the worker could not start';
    fail(
      new AiError(AiErrorCode.ENGINE_UNAVAILABLE, `The image engine’s worker stopped: ${message}`, { cause: event }),
    );
  });
  const request = <T>(message: Record<string, unknown>, transfer: Transferable[] = []): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  };
  const stop = () => {
    worker.terminate();
    URL.revokeObjectURL(blobUrl);
    fail(new AiError(AiErrorCode.ENGINE_UNAVAILABLE, 'The image engine was disposed'));
  };

  let version: string | undefined;
  try {
    version = (
      await request<{ version?: string }>({
        type: 'init',
        moduleUrl: options.moduleUrl,
        wasmBase: options.wasmBase,
        threads: options.threads,
      })
    ).version;
  } catch (error) {
    stop();
    if (AiError.isInstance(error)) throw error;
    throw new AiError(
      AiErrorCode.ENGINE_UNAVAILABLE,
      `onnxruntime-web could not be loaded from ${options.moduleUrl}: ` +
        (error instanceof Error ? error.message : String(error)),
      { cause: error },
    );
  }

  return {
    get version() {
      return version;
    },
    async createSession(name, bytes, provider) {
      const { inputs } = await request<{ inputs: { name: string; type: string }[] }>(
        { type: 'create', name, bytes, provider },
        [bytes],
      );
      const inputTypes: Record<string, TensorType> = {};
      for (const input of inputs) if (TENSOR_TYPES.has(input.type)) inputTypes[input.name] = input.type as TensorType;
      return {
        inputTypes,
        run: (feeds: Record<string, TensorData>, outputs: string[]) =>
          request<Record<string, TensorData>>({ type: 'run', name, feeds, outputs }),
      };
    },
    async terminate() {
      if (!dead)
        await Promise.race([
          request({ type: 'release' }).catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 1000)),
        ]);
      stop();
    },
  };
}
