import { KernelError } from './errors.ts';

/**
 * A tiny WGSL template language, so that blocking factors can be unrolled at compile time and shared
 * preludes written once, without generating WGSL by hand in TypeScript:
 *   //@include NAME                the named snippet (a .wgsl file, see core/includes.ts) in place of
 *                                  the line; snippets may include others, and each is pasted once per
 *                                  shader (later //@include lines of the same name are dropped)
 *   {{NAME}}                       substituted from the values
 *   //@for i in 0..NAME            lines up to the matching //@end repeated, `${i}` replaced by the index
 * Loops nest. Everything else is plain WGSL, so the .wgsl files stay readable.
 */
export type TemplateValues = Record<string, string | number | boolean>;

/** WGSL snippets by the name that `//@include NAME` gives. */
export type WgslIncludes = Readonly<Record<string, string>>;

export function expandTemplate(source: string, values: TemplateValues, includes: WgslIncludes = {}): string {
  const lines = resolveIncludes(source, includes, new Set(), []);
  const out: string[] = [];
  expandLines(lines, 0, lines.length, values, {}, out);
  return out.join('\n').replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new KernelError('WGSL template', `no value for {{${name}}}`);
    return String(values[name]);
  });
}

const INCLUDE = /^\s*\/\/@include\s+([\w./-]+)\s*$/;
const FOR = /^\s*\/\/@for\s+(\w+)\s+in\s+(\w+)\.\.(\w+)\s*$/;
const END = /^\s*\/\/@end\s*$/;

function resolveIncludes(
  source: string,
  includes: WgslIncludes,
  done: Set<string>,
  chain: string[],
): string[] {
  const out: string[] = [];
  for (const line of source.split('\n')) {
    const m = INCLUDE.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const name = m[1];
    if (chain.includes(name)) {
      throw new KernelError('WGSL template', `//@include cycle: ${[...chain, name].join(' → ')}`);
    }
    if (done.has(name)) continue;
    if (!Object.hasOwn(includes, name)) {
      const known = Object.keys(includes).sort().join(', ') || 'none';
      throw new KernelError('WGSL template', `no include named "${name}" (known: ${known})`);
    }
    out.push(...resolveIncludes(includes[name], includes, done, [...chain, name]));
    done.add(name);
  }
  return out;
}

function resolveBound(token: string, values: TemplateValues): number {
  const n = /^\d+$/.test(token) ? Number(token) : Number(values[token]);
  if (!Number.isInteger(n)) throw new KernelError('WGSL template', `loop bound "${token}" is not an integer`);
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
  throw new KernelError('WGSL template', `//@for at line ${start} has no //@end`);
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
