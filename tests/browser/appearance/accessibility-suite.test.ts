// Every block, in every state a person meets (empty, with content, after an error, with the engine
// picker open), checked with axe's full rule set and for sideways overflow in the light and dark
// colour schemes, on light and dark host pages, at desktop (1280 px) and phone (390 px) widths.
// Each state is reached once per block; the schemes, pages and widths are then looped over it.
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { expect } from '@open-wc/testing';
import type { AiBlocksHostApp } from '../../../packages/host/src/page/host-app.js';
import { choose, send, typeInto } from '../../helpers/chat-block.js';
import {
  blockIn,
  button,
  chooseEngine,
  mountHost,
  shadow,
  testServers,
  until,
  type BlockElement,
} from '../../helpers/host-page.js';

interface AxeCheck {
  message: string;
}
interface AxeNode {
  target: unknown[];
  any: AxeCheck[];
  all: AxeCheck[];
  none: AxeCheck[];
}
interface AxeResult {
  violations: { id: string; nodes: AxeNode[] }[];
}
interface Axe {
  run(context: Element, options: Record<string, unknown>): Promise<AxeResult>;
}

async function axe(): Promise<Axe> {
  await import('axe-core/axe.min.js');
  return (globalThis as unknown as { axe: Axe }).axe;
}

type BlockName = 'ai-text' | 'ai-chat' | 'ai-image';
type Scheme = 'light' | 'dark';

const WIDTHS = [1280, 390] as const;
const SCHEMES: readonly Scheme[] = ['light', 'dark'];
const PAGES = {
  light: { background: '#ffffff', color: '#1d1d28' },
  dark: { background: '#16161d', color: '#ececf4' },
} as const;

const faultUrl = async (scenario: string) => (await testServers()).fault.replace('SCENARIO', scenario);
const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
const errorNotice = (block: BlockElement) => shadow(block).querySelector('.error-notice');

/** Opens every <details> in the block (the picker's model list and reasons, settings, error details). */
async function openAllDetails(block: BlockElement): Promise<void> {
  for (const details of shadow(block).querySelectorAll('details')) details.open = true;
  await block.updateComplete;
}

/** Picks the in-browser engine and opens its model list once every model's state is known. */
async function openPicker(block: BlockElement): Promise<void> {
  await chooseEngine(block, 'wasm');
  await until(() => shadow(block).querySelector('details.model-picker') !== null, 'the model picker');
  await until(
    () =>
      shadow(block).querySelectorAll('.model').length > 0 &&
      shadow(block).querySelector('.model[data-state="checking"]') === null,
    'every model’s state',
  );
  await openAllDetails(block);
  if (!shadow(block).querySelector<HTMLDetailsElement>('details.model-picker')?.open)
    throw new Error('the model picker did not open');
}

async function generateText(block: BlockElement, engine: string, prompt: string): Promise<void> {
  await chooseEngine(block, engine);
  await typeInto(block, '#prompt', prompt);
  await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
  button(block, 'generate')?.click();
}

async function generateImages(block: BlockElement, scenario: string, prompt: string): Promise<void> {
  block.settings = { openaiCompatible: { baseURL: await faultUrl(scenario), model: 'dall-e-2' } };
  await chooseEngine(block, 'openai-compatible');
  await choose(block, '#count', '2');
  await choose(block, '#size', '256x256');
  await typeInto(block, '#prompt', prompt);
  await until(() => button(block, 'generate')?.disabled === false, 'Generate to be enabled');
  button(block, 'generate')?.click();
}

/** How each block is brought into each state, in the project's host. */
const STATES: Record<BlockName, Record<string, (block: BlockElement) => Promise<void>>> = {
  'ai-text': {
    empty: async () => {},
    // A finished answer (Markdown from the host's service) with its provenance, Keep, Discard and Copy.
    output: async (block) => {
      await generateText(block, 'service-module', 'Hello host');
      await until(() => button(block, 'keep') !== null, 'the answer');
      await until(() => shadow(block).querySelector('.generated strong') !== null, 'the answer to be drawn');
    },
    // The kept text with its prompt, provenance, Edit / Regenerate / Copy and the quick actions.
    kept: async (block) => {
      await generateText(block, 'service-module', 'Hello host');
      await until(() => button(block, 'keep') !== null, 'the answer');
      button(block, 'keep')?.click();
      await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the save');
      await until(() => shadow(block).querySelector('.kept strong') !== null, 'the kept text to be drawn');
    },
    error: async (block) => {
      block.settings = { openaiCompatible: { baseURL: await faultUrl('auth'), model: 'x' } };
      await generateText(block, 'openai-compatible', 'Fail please');
      await until(() => errorNotice(block) !== null, 'the error notice');
      await openAllDetails(block);
    },
    picker: openPicker,
  },
  'ai-chat': {
    empty: async () => {},
    // A reply written again: the "2/2" version switch with its buttons, Copy and Regenerate.
    branch: async (block) => {
      await chooseEngine(block, 'service-module');
      await send(block, 'Hello host');
      await until(() => shadow(block).querySelector('[data-save="saved"]') !== null, 'the reply to be saved');
      button(block, 'regenerate')?.click();
      await until(() => shadow(block).querySelector('.branch-position')?.textContent === '2/2', 'the second version');
      await until(() => button(block, 'send') !== null && button(block, 'stop') === null, 'the reply to finish');
      await until(
        () =>
          [...shadow(block).querySelectorAll('article.message .body')].every((body) => body.textContent.trim() !== ''),
        'the replies to be drawn',
      );
    },
    error: async (block) => {
      block.settings = { openaiCompatible: { baseURL: await faultUrl('auth'), model: 'x' } };
      await chooseEngine(block, 'openai-compatible');
      await send(block, 'Fail please');
      await until(() => errorNotice(block) !== null, 'the error notice');
      await openAllDetails(block);
    },
    picker: openPicker,
  },
  'ai-image': {
    empty: async () => {},
    // Kept images from a first run above the candidates of a second, one of them ticked.
    candidates: async (block) => {
      await generateImages(block, 'images-ok', 'A gradient');
      await until(() => shadow(block).querySelectorAll('figure[data-candidate]').length === 2, 'two candidates');
      shadow(block).querySelector<HTMLInputElement>('figure[data-candidate] input[type="checkbox"]')?.click();
      await block.updateComplete;
      button(block, 'keep')?.click();
      await until(() => shadow(block).querySelectorAll('figure[data-kept]').length === 1, 'the kept image');
      await generateImages(block, 'images-ok', 'Another gradient');
      await until(() => shadow(block).querySelectorAll('figure[data-candidate]').length === 2, 'new candidates');
      shadow(block).querySelector<HTMLInputElement>('figure[data-candidate] input[type="checkbox"]')?.click();
      await block.updateComplete;
      const images = [...shadow(block).querySelectorAll('img')];
      await until(() => images.every((image) => image.complete && image.naturalWidth > 0), 'the images to load');
    },
    error: async (block) => {
      await generateImages(block, 'images-policy', 'Not allowed');
      await until(() => errorNotice(block) !== null, 'the error notice');
      await openAllDetails(block);
    },
    picker: openPicker,
  },
};

/** Elements inside a block that stick out past its right edge, and a block wider than the screen. */
function overflowing(block: BlockElement): string[] {
  const right = block.getBoundingClientRect().right + 0.5;
  const out: string[] = [];
  if (right > document.documentElement.clientWidth + 0.5)
    out.push(`block ends at ${right} px, past the ${document.documentElement.clientWidth} px page`);
  if (block.scrollWidth > block.clientWidth + 1) out.push(`block scrolls: ${block.scrollWidth} > ${block.clientWidth}`);
  for (const element of shadow(block).querySelectorAll<HTMLElement>('*')) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > right)
      out.push(`${element.localName}.${element.className}: right edge ${box.right} > ${right}`);
  }
  return out;
}

/** Full axe rule set on the block (axe walks its shadow root): "rule target: why" per failing node. */
async function axeViolations(block: BlockElement): Promise<string[]> {
  const result = await (await axe()).run(block, { resultTypes: ['violations'] });
  return result.violations.flatMap((violation) =>
    violation.nodes.map((node) => {
      const why = [...node.any, ...node.all, ...node.none][0]?.message ?? '';
      return `${violation.id} ${JSON.stringify(node.target)}: ${why}`;
    }),
  );
}

/** Checks the block in every scheme × page × width; each finding once, with where it showed. */
async function checkEverywhere(block: BlockElement): Promise<string[]> {
  const found = new Map<string, string[]>();
  for (const width of WIDTHS) {
    await setViewport({ width, height: 900 });
    for (const scheme of SCHEMES) {
      await emulateMedia({ colorScheme: scheme });
      for (const [pageName, page] of Object.entries(PAGES)) {
        document.body.style.background = page.background;
        document.body.style.color = page.color;
        await frame();
        await frame();
        const where = `${scheme} scheme/${pageName} page/${width}px`;
        const findings = [...(await axeViolations(block)), ...overflowing(block).map((line) => `overflow ${line}`)];
        for (const finding of findings) found.set(finding, [...(found.get(finding) ?? []), where]);
      }
    }
  }
  return [...found].map(([finding, where]) => `${finding}\n    in: ${where.join(', ')}`);
}

describe('Accessibility suite: every block and state, both schemes, both pages, desktop and phone', () => {
  let app: AiBlocksHostApp | undefined;

  afterEach(async () => {
    app?.remove();
    app = undefined;
    document.body.style.background = '';
    document.body.style.color = '';
    await emulateMedia({ colorScheme: 'light' });
    await setViewport({ width: 800, height: 600 });
  });

  for (const [name, states] of Object.entries(STATES) as [BlockName, (typeof STATES)[BlockName]][])
    for (const [state, reach] of Object.entries(states))
      it(`${name}, ${state}: no axe violations and no sideways overflow`, async function () {
        this.timeout(60_000);
        app = await mountHost();
        const block = blockIn(app, name);
        await block.updateComplete;
        // The picker's summary is worded per engine once the selection is made.
        await until(() => shadow(block).querySelector('#engine-summary') !== null, `${name} to render`);
        await reach(block);
        const findings = await checkEverywhere(block);
        expect(findings.length, `${name}, ${state}:\n${findings.join('\n')}\n`).to.equal(0);
      });
});
