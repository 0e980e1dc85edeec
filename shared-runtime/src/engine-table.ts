// The one table of the engines a block offers: ids (persisted in the graph, so they never
// change), the order the picker lists them in, the order the automatic choice tries them in,
// and every name a person reads for them. Everything else derives from it.

/** One engine as people and the blocks see it. */
export interface EngineEntry {
  /** Persisted (block settings, provenance): never renamed. */
  readonly id: string;
  /** In the engine pickers. */
  readonly label: string;
  /** Inside a sentence ("Using the CPU model (WebAssembly)."). */
  readonly name: string;
  /** Where the models list which engine runs a model ("GPU", "CPU"). */
  readonly short?: string;
  /** In the line under an output that says what made it ("In-browser model on the CPU"). */
  readonly credit: string;
  /** Position in the automatic choice (1 is tried first); absent for engines it never picks. */
  readonly autoRank?: number;
  /** AI Text and AI Chat can use it. */
  readonly text: boolean;
  /** AI Image can use it. */
  readonly image: boolean;
}

/** The engines, in the order the pickers list them. */
export const ENGINE_TABLE = [
  {
    id: 'service-module',
    label: 'Page’s AI service',
    name: 'the page’s AI service',
    credit: 'Page’s AI service',
    autoRank: 1,
    text: true,
    image: true,
  },
  {
    id: 'browser-ai',
    label: 'Chrome’s built-in model (free, private)',
    name: 'Chrome’s built-in model',
    credit: 'Chrome’s built-in model',
    autoRank: 2,
    text: true,
    image: false,
  },
  {
    id: 'wasm',
    label: 'In browser — CPU (free, private)',
    name: 'the CPU model (WebAssembly)',
    credit: 'In-browser model',
    short: 'CPU',
    autoRank: 4,
    text: true,
    // AI Image: the in-browser image engine (onnxruntime-web) on its WebAssembly provider.
    image: true,
  },
  {
    id: 'webllm',
    label: 'In browser — GPU (WebGPU)',
    name: 'the GPU model (WebGPU)',
    credit: 'In-browser model on the GPU (WebGPU)',
    short: 'GPU',
    autoRank: 3,
    text: true,
    // AI Image: the in-browser image engine on its WebGPU provider.
    image: true,
  },
  {
    id: 'openai-compatible',
    label: 'OpenAI-compatible API',
    name: 'the OpenAI-compatible service',
    credit: 'OpenAI-compatible API',
    autoRank: 5,
    text: true,
    image: true,
  },
  {
    id: 'anthropic',
    label: 'Anthropic',
    name: 'Anthropic',
    credit: 'Anthropic',
    autoRank: 6,
    text: true,
    image: false,
  },
] as const satisfies readonly EngineEntry[];

type Row = (typeof ENGINE_TABLE)[number];

/** The engines AI Text and AI Chat can use. */
export type EngineId = Extract<Row, { text: true }>['id'];

/** The engines AI Image can use. */
export type ImageEngineId = Extract<Row, { image: true }>['id'];

/** Text engines, in the picker's order (every engine of the table serves text). */
export const ENGINE_IDS: readonly EngineId[] = ENGINE_TABLE.map((row) => row.id);

/** Image engines, in the picker's order. */
export const IMAGE_ENGINE_IDS: readonly ImageEngineId[] = ENGINE_TABLE.filter(
  (row): row is Extract<Row, { image: true }> => row.image,
).map((row) => row.id);

/** The order engines are tried in when the person has not chosen (docs/engines.md). */
export const DEFAULT_ENGINE_ORDER: readonly EngineId[] = [...ENGINE_TABLE]
  .sort((a, b) => a.autoRank - b.autoRank)
  .map((row) => row.id);

/** The table's row for an id. */
export function engineEntry(engineId: EngineId | ImageEngineId): EngineEntry {
  const row = ENGINE_TABLE.find((candidate) => candidate.id === engineId);
  if (!row) throw new TypeError(`Unknown engine ${engineId}`);
  return row;
}

/** Display names of the engines, for the pickers. */
export const ENGINE_LABELS: Readonly<Record<EngineId, string>> = Object.fromEntries(
  ENGINE_TABLE.map((row) => [row.id, row.label]),
) as Record<EngineId, string>;

/**
 * What made an output, in words, from the engine id stored with it and where it ran
 * (`backend`): "In-browser model on the CPU". An id this table does not know is shown as it is.
 */
export function engineCredit(engineId: string, backend?: string): string {
  const row = ENGINE_TABLE.find((candidate) => candidate.id === engineId);
  if (!row) return engineId;
  return row.id === 'wasm' && backend ? `${row.credit} on the ${backend === 'webgpu' ? 'GPU' : 'CPU'}` : row.credit;
}

/** Whether a string from settings or the graph names a text engine (own entries only). */
export function isEngineId(value: unknown): value is EngineId {
  return typeof value === 'string' && (ENGINE_IDS as readonly string[]).includes(value);
}
