/**
 * A tiny WGSL template language, so that blocking factors can be unrolled at compile time without
 * writing generated WGSL by hand in TypeScript:
 *   {{NAME}}                       substituted from the values
 *   //@for i in 0..NAME            lines up to the matching //@end repeated, `${i}` replaced by the index
 * Loops nest. Everything else is plain WGSL, so the .wgsl files stay readable.
 */
export type TemplateValues = Record<string, string | number | boolean>;

export function expandTemplate(source: string, values: TemplateValues): string {
  const lines = source.split('\n');
  const out: string[] = [];
  expandLines(lines, 0, lines.length, values, {}, out);
  return out.join('\n').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`WGSL template: no value for {{${name}}}`);
    return String(values[name]);
  });
}

const FOR = /^\s*\/\/@for\s+(\w+)\s+in\s+(\w+)\.\.(\w+)\s*$/;
const END = /^\s*\/\/@end\s*$/;

function resolveBound(token: string, values: TemplateValues): number {
  const n = /^\d+$/.test(token) ? Number(token) : Number(values[token]);
  if (!Number.isInteger(n)) throw new Error(`WGSL template: loop bound "${token}" is not an integer`);
  return n;
}

function findEnd(lines: string[], start: number, end: number): number {
  let depth = 0;
  for (let i = start; i < end; i++) {
    if (FOR.test(lines[i])) depth++;
    else if (END.test(lines[i])) {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new Error(`WGSL template: //@for at line ${start} has no //@end`);
}

function expandLines(
  lines: string[],
  start: number,
  end: number,
  values: TemplateValues,
  vars: Record<string, number>,
  out: string[],
): void {
  for (let i = start; i < end; i++) {
    const m = FOR.exec(lines[i]);
    if (!m) {
      out.push(substituteVars(lines[i], vars));
      continue;
    }
    const close = findEnd(lines, i + 1, end);
    const [from, to] = [resolveBound(m[2], values), resolveBound(m[3], values)];
    for (let k = from; k < to; k++) expandLines(lines, i + 1, close, values, { ...vars, [m[1]]: k }, out);
    i = close;
  }
}

function substituteVars(line: string, vars: Record<string, number>): string {
  return line.replace(/\$\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
