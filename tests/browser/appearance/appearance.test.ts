// The blocks as a person sees them on any page: readable in light and dark colour schemes on
// light and dark host pages (no axe colour-contrast failures), and never wider than a phone.
import { expect } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { blockIn, mountHost, shadow, until, type BlockElement } from '../../helpers/host-page.js';

interface AxeResult {
  violations: { id: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}
interface Axe {
  run(context: Element, options: Record<string, unknown>): Promise<AxeResult>;
}

async function axe(): Promise<Axe> {
  await import('axe-core/axe.min.js');
  return (globalThis as unknown as { axe: Axe }).axe;
}

const BLOCKS = ['ai-text', 'ai-chat', 'ai-image'] as const;
const PAGES = {
  light: { background: '#ffffff', color: '#1d1d28' },
  dark: { background: '#16161d', color: '#ececf4' },
};

async function contrastFailures(block: BlockElement): Promise<string[]> {
  const result = await (await axe()).run(block, { runOnly: { type: 'rule', values: ['color-contrast'] } });
  return result.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${JSON.stringify(node.target)}: ${node.failureSummary ?? ''}`),
  );
}

/** Elements inside a block that stick out past its right edge. */
function overflowing(block: BlockElement): string[] {
  const right = block.getBoundingClientRect().right + 0.5;
  const out: string[] = [];
  if (block.scrollWidth > block.clientWidth + 1) out.push(`block scrolls: ${block.scrollWidth} > ${block.clientWidth}`);
  for (const element of shadow(block).querySelectorAll<HTMLElement>('*')) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > right)
      out.push(`${element.localName}.${element.className}: ${box.right} > ${right}`);
  }
  return out;
}

describe('Blocks on light and dark pages, and on a phone', () => {
  afterEach(async () => {
    for (const app of document.querySelectorAll('ai-blocks-host-app')) app.remove();
    document.body.style.background = '';
    document.body.style.color = '';
    await emulateMedia({ colorScheme: 'light' });
    await setViewport({ width: 800, height: 600 });
  });

  for (const scheme of ['light', 'dark'] as const)
    for (const [pageName, page] of Object.entries(PAGES))
      it(`are readable in the ${scheme} scheme on a ${pageName} page (axe colour contrast)`, async function () {
        this.timeout(60_000);
        await emulateMedia({ colorScheme: scheme });
        document.body.style.background = page.background;
        document.body.style.color = page.color;
        const app = await mountHost();
        const failures: string[] = [];
        for (const name of BLOCKS) {
          const block = blockIn(app, name);
          await block.updateComplete;
          await until(() => shadow(block).querySelector('button') !== null, `${name} to render`);
          failures.push(...(await contrastFailures(block)).map((failure) => `${name} ${failure}`));
        }
        expect(failures, failures.join('\n')).to.deep.equal([]);
      });

  for (const width of [390, 320])
    it(`fit a ${width} px wide screen without sideways scrolling`, async function () {
      this.timeout(60_000);
      await setViewport({ width, height: 800 });
      const app = await mountHost();
      const failures: string[] = [];
      for (const name of BLOCKS) {
        const block = blockIn(app, name);
        await until(() => shadow(block).querySelector('button') !== null, `${name} to render`);
        // The picker's reasons are worded per engine: wait until they are there.
        await new Promise((resolve) => setTimeout(resolve, 500));
        failures.push(...overflowing(block).map((failure) => `${name} ${failure}`));
        if (block.getBoundingClientRect().right > width + 0.5)
          failures.push(`${name} ends at ${block.getBoundingClientRect().right} px`);
      }
      expect(failures, failures.join('\n')).to.deep.equal([]);
    });
});
