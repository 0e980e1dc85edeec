// Rewraps comment lines longer than the print width (Prettier leaves comments as written):
// runs of `//` lines and the lines of `/** … */` blocks, paragraph by paragraph, keeping
// indentation, list items and lint directives as they are. Usage: node scripts/wrap-comments.mjs [files…]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const WIDTH = 120;
const files =
  process.argv.length > 2
    ? process.argv.slice(2)
    : execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.cjs'], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);

/** Splits a run of comment bodies into paragraphs that may be refilled (plain prose lines). */
function refill(bodies, prefix) {
  const out = [];
  let paragraph = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    const words = paragraph.join(' ').split(/\s+/).filter(Boolean);
    let line = '';
    for (const word of words) {
      if (line && (prefix + line + ' ' + word).length > WIDTH) {
        out.push(prefix + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(prefix + line);
    paragraph = [];
  };
  for (const body of bodies) {
    const fixed =
      body.trim() === '' || /^\s*([-*+]|\d+\.|@\w+|```|eslint|prettier|<)/.test(body) || /^\s{2,}/.test(body);
    if (fixed) {
      flush();
      // A list item starts a paragraph of its own: keep its marker, refill its text.
      const item = /^(\s*(?:[-*+]|\d+\.)\s+)(.*)$/.exec(body);
      if (item && (prefix + body).length > WIDTH && !/```/.test(body)) {
        const hang = ' '.repeat(item[1].length);
        const sub = refill([item[2]], prefix + hang);
        out.push(prefix + item[1] + sub[0].slice((prefix + hang).length), ...sub.slice(1));
      } else out.push((prefix + body).replace(/\s+$/, ''));
    } else paragraph.push(body);
  }
  flush();
  return out;
}

let changed = 0;
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (!lines.some((line) => line.length > WIDTH)) continue;
  const out = [];
  for (let i = 0; i < lines.length;) {
    const slash = /^(\s*)\/\/ ?(.*)$/.exec(lines[i]);
    if (slash && !/^\s*\/\/\s*(eslint|@ts-|prettier|#)/.test(lines[i])) {
      const indent = slash[1];
      const bodies = [];
      let j = i;
      let long = false;
      for (; j < lines.length; j++) {
        const m = /^(\s*)\/\/ ?(.*)$/.exec(lines[j]);
        if (!m || m[1] !== indent || /^\s*\/\/\s*(eslint|@ts-|prettier)/.test(lines[j])) break;
        bodies.push(m[2]);
        if (lines[j].length > WIDTH) long = true;
      }
      out.push(...(long ? refill(bodies, `${indent}// `) : lines.slice(i, j)));
      i = j;
      continue;
    }
    const star = /^(\s*)\/\*\*(.*)\*\/\s*$/.exec(lines[i]);
    if (star && lines[i].length > WIDTH) {
      // A one-line doc comment that is too long becomes a block.
      const indent = star[1];
      out.push(`${indent}/**`, ...refill([star[2].trim()], `${indent} * `), `${indent} */`);
      i++;
      continue;
    }
    const open = /^(\s*)\/\*\*\s*$/.exec(lines[i]);
    if (open) {
      const indent = open[1];
      let j = i + 1;
      const bodies = [];
      let long = false;
      for (; j < lines.length && !/^\s*\*\//.test(lines[j]); j++) {
        const m = /^\s*\* ?(.*)$/.exec(lines[j]);
        bodies.push(m ? m[1] : lines[j].trim());
        if (lines[j].length > WIDTH) long = true;
      }
      out.push(lines[i], ...(long ? refill(bodies, `${indent} * `) : lines.slice(i + 1, j)));
      i = j;
      continue;
    }
    out.push(lines[i]);
    i++;
  }
  const next = out.join('\n');
  if (next !== lines.join('\n')) {
    writeFileSync(file, next);
    changed++;
  }
}
console.log(`comments rewrapped in ${changed} file(s)`);
