// `npm run test-model -- --out path.gguf [--shape tiny|smollm2-135m] [--type f32|f16|q8_0]`
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GGML_TYPE, generateLlamaGguf, SMOLLM2_135M_SHAPE, TINY_SHAPE } from './index.js';

const { values } = parseArgs({
  options: { out: { type: 'string' }, shape: { type: 'string' }, type: { type: 'string' } },
});
if (!values.out) {
  console.error('usage: npm run test-model -- --out path.gguf [--shape tiny|smollm2-135m] [--type f32|f16|q8_0]');
  process.exit(2);
}
const base = values.shape === 'smollm2-135m' ? SMOLLM2_135M_SHAPE : TINY_SHAPE;
const types = { f32: GGML_TYPE.F32, f16: GGML_TYPE.F16, q8_0: GGML_TYPE.Q8_0 } as const;
const tensorType = values.type ? types[values.type as keyof typeof types] : base.tensorType;
const started = performance.now();
const bytes = generateLlamaGguf({ ...base, tensorType });
writeFileSync(values.out, bytes);
console.log(
  `wrote ${values.out}: ${(bytes.length / 1e6).toFixed(2)} MB in ${(performance.now() - started).toFixed(0)} ms`,
);
