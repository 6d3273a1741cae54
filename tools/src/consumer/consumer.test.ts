// The three packages as an outside app gets them: packed, installed into a fresh project outside the
// workspace with nothing from the network, typechecked by a plain strict tsc, and run in headless
// Chromium from a Vite-built page and from a no-bundler import-map page.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, launchChromium, REPO_ROOT } from '@avatarme/browser-runtime';
import type { ConvCheck } from './fixture/src/conv.ts';
import type { SampleRun } from './fixture/src/reconstruct-sample.ts';

const PACKAGES = ['kernels', 'nets', 'pipeline'];
/** Packed third-party dependencies, reused across runs (keyed by name and version). */
const DEPS_CACHE = join(tmpdir(), 'avatarme-consumer-deps');
/** The face networks reconstruct() loads; the rest of @vladmandic/human (43 MB) is left out of its stand-in. */
const HUMAN_KEEP = [
  'package.json',
  'LICENSE',
  'models/blazeface',
  'models/facemesh',
  'models/iris',
  'models/faceres',
];

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false' } });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

interface LockEntry {
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** The packages' runtime dependency closure, as the workspace's lockfile resolved it. */
function thirdPartyClosure(): Map<string, string> {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')).packages as Record<
    string,
    LockEntry
  >;
  const required = (p: LockEntry) => [
    ...Object.keys(p.dependencies ?? {}),
    ...Object.keys(p.peerDependencies ?? {}).filter((n) => !p.peerDependenciesMeta?.[n]?.optional),
  ];
  const closure = new Map<string, string>();
  const queue = PACKAGES.flatMap((p) => required(lock[`packages/${p}`])).filter(
    (n) => !n.startsWith('@avatarme/'),
  );
  while (queue.length) {
    const name = queue.pop()!;
    const entry = lock[`node_modules/${name}`];
    if (!entry)
      throw new Error(`package-lock.json has no top-level ${name}: the consumer test cannot install it`);
    if (closure.has(name)) continue;
    closure.set(name, join(REPO_ROOT, 'node_modules', name));
    queue.push(...required(entry));
  }
  return closure;
}

/** A tarball of an installed package folder: the registry's tarball, rebuilt from what npm unpacked. */
function packInstalled(name: string, dir: string): string {
  const version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version as string;
  const file = join(DEPS_CACHE, `${name.replace('/', '+')}-${version}.tar`);
  if (existsSync(file)) return file;
  mkdirSync(DEPS_CACHE, { recursive: true });
  const keep =
    name === '@vladmandic/human'
      ? HUMAN_KEEP.flatMap((f) => (f.startsWith('models/') ? [`${f}.json`, `${f}.bin`] : [f]))
      : ['.'];
  sh('tar', ['-cf', `${file}.part`, '--transform', 's,^\\.\\?/\\?,package/,', '-C', dir, ...keep], dir);
  cpSync(`${file}.part`, file);
  rmSync(`${file}.part`);
  return file;
}

let project: string;
let server: PreviewServer;
let origin: string;
let browser: Browser;
const timings: Record<string, number> = {};

async function timed<T>(what: string, f: () => T | Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings[what] = Math.round(performance.now() - t0);
  }
}

async function runPage(path: string, timeoutMs: number) {
  const page = await browser.newPage();
  try {
    await page.goto(origin + path, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as { __consumer?: unknown }).__consumer !== undefined, {
      timeout: timeoutMs,
    });
    return (await page.evaluate(() => (window as { __consumer?: unknown }).__consumer)) as {
      error?: string;
      conv?: ConvCheck;
      sample?: SampleRun;
    };
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  await timed('build', () =>
    sh('npx', ['nx', 'run-many', '-t', 'build', '-p', ...PACKAGES, '--outputStyle=static'], REPO_ROOT),
  );
  project = mkdtempSync(join(tmpdir(), 'avatarme-consumer-'));
  const packs = join(project, 'packs');
  mkdirSync(packs);
  await timed('pack', () => {
    for (const p of PACKAGES)
      sh('npm', ['pack', '--ignore-scripts', '--pack-destination', packs], join(REPO_ROOT, 'packages', p));
  });
  const deps = await timed('pack deps', () => [...thirdPartyClosure()].map(([n, d]) => packInstalled(n, d)));
  cpSync(join(import.meta.dirname, 'fixture'), project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  await timed('npm install', () =>
    sh(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--no-package-lock',
        ...PACKAGES.map((p) => join(packs, `avatarme-${p}-0.1.0.tgz`)),
        ...deps,
      ],
      project,
    ),
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (server ? server.httpServer.close(() => done()) : done()));
  if (project) rmSync(project, { recursive: true, force: true });
  console.log('consumer test timings (ms):', JSON.stringify(timings));
});

describe('the packed packages in an outside project', () => {
  it('typechecks with a plain strict tsc (skipLibCheck off) and compiles for the import-map page', async () => {
    await timed('tsc', () => sh(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], project));
    expect(existsSync(join(project, 'build/conv.js'))).toBe(true);
  });

  it('runs a conv2d on its own device from a Vite-built page and an import-map page, and reconstructs the sample from the pipeline root', async () => {
    await timed('vite build', () =>
      build({
        root: project,
        configFile: false,
        logLevel: 'warn',
        base: './',
        build: { outDir: 'site', chunkSizeWarningLimit: 4096 },
      }),
    );
    sh('node', ['node_modules/.bin/avatarme-models', 'site/models'], project);
    cpSync(join(REPO_ROOT, 'assets/astronaut.png'), join(project, 'site/astronaut.png'));
    const port = await freePort();
    // The project folder as a static site: site/ is the Vite build, importmap.html loads node_modules/.
    server = await preview({
      root: project,
      configFile: false,
      // (Vite warns that outDir is the root: nothing is built into it here.)
      logLevel: 'error',
      build: { outDir: '.' },
      preview: { port, strictPort: true, host: '127.0.0.1' },
    });
    origin = `http://127.0.0.1:${port}`;
    browser = await launchChromium();

    const plain = await timed('import-map page', () => runPage('/importmap.html', 60_000));
    expect(plain.error).toBeUndefined();
    // 27 products of f32 values in [-1, 1] summed in another order: a few ulps of the sums (< 1e-5).
    expect(plain.conv!.maxAbsError).toBeLessThan(1e-5);
    expect(plain.conv!.outputs).toBe(6 * 5 * 4);

    const bundled = await timed('vite page', () => runPage('/site/index.html?uv=64', 240_000));
    expect(bundled.error).toBeUndefined();
    expect(bundled.conv!.maxAbsError).toBeLessThan(1e-5);
    const sample = bundled.sample!;
    console.log('consumer reconstruct stages (ms):', JSON.stringify(sample.stagesMs));
    expect(sample.stagesSeen).toEqual([
      'detect',
      'landmarks',
      'fit',
      'unwrap',
      'upsample',
      'reflectance',
      'export',
    ]);
    expect(sample.mapSide).toBe(64);
    expect(sample.vertices).toBeGreaterThan(1000);
    expect(sample.files).toEqual(expect.arrayContaining(['avatar.glb', 'mesh.obj', 'report.json']));
  });
});
