import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BAD_INPUT, badInputMarkdown } from './bad-input.ts';
import { COMMANDS } from './commands/index.ts';
import { reconstructCommand } from './commands/reconstruct.ts';
import { commandHelp, markdownReference } from './help.ts';
import { CLI, ROOT } from './run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'avatarme-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixtures = join(work, 'cwd');
// Chromium replaced by a script that leaves a mark: a check that starts the browser is caught.
const marker = join(work, 'chromium-started');
const fakeChromium = join(work, 'chromium');

mkdirSync(fixtures);
copyFileSync(join(ROOT, 'assets/astronaut.png'), join(fixtures, 'photo.png'));
writeFileSync(join(fixtures, 'notes.png'), 'not an image');
writeFileSync(join(fixtures, 'cut.jpg'), new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0]));
const header = Buffer.from(readFileSync(join(ROOT, 'assets/astronaut.png')).subarray(0, 33));
header.writeUInt32BE(9000, 16);
header.writeUInt32BE(9000, 20);
writeFileSync(join(fixtures, 'huge.png'), Buffer.concat([header, Buffer.from('IEND')]));
writeFileSync(join(fixtures, 'taken.png'), 'mine');
mkdirSync(join(fixtures, 'existing'));
writeFileSync(join(fixtures, 'existing/mesh.obj'), 'mine');
writeFileSync(join(fixtures, 'a-file'), 'x');
writeFileSync(fakeChromium, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
chmodSync(fakeChromium, 0o755);

function avatarme(argv: string[]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...argv], {
    cwd: fixtures,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, CHROME_PATH: fakeChromium },
  });
  return { ...r, ms: performance.now() - t0 };
}

const listing = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [`${e.name}/`, ...listing(join(dir, e.name)).map((n) => `${e.name}/${n}`)] : [e.name],
  );

describe('bad input: one line, exit code, before any browser starts', () => {
  it.each(BAD_INPUT)('avatarme $argv → $exit', ({ argv, exit, message }) => {
    const before = listing(fixtures);
    const r = avatarme(argv.split(' '));
    const command = argv.startsWith('frobnicate') ? 'avatarme' : `avatarme ${argv.split(' ')[0]}`;
    expect(r.status, r.stderr).toBe(exit);
    expect(r.stderr).toBe(`${command}: ${message}\n`);
    expect(r.stdout).toBe('');
    // No browser, no GPU: well under the ~5 s a Chromium start alone takes here.
    expect(r.ms).toBeLessThan(5000);
    expect(existsSync(marker), 'Chromium was started').toBe(false);
    expect(listing(fixtures)).toEqual(before);
  });

  it('--json: the same line on stderr and one JSON object on stdout', () => {
    const r = avatarme(['reconstruct', 'photo.png', '--out', 'existing', '--json']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual({
      command: 'reconstruct',
      status: 'error',
      exitCode: 1,
      error: "existing/mesh.obj: already exists; pass --force to replace avatarme's files in existing",
    });
  });
});

describe('help and version', () => {
  it('avatarme <command> --help, -h and avatarme help <command> print the table-built help', () => {
    for (const argv of [
      ['reconstruct', '--help'],
      ['reconstruct', 'photo.png', '-h'],
      ['help', 'reconstruct'],
    ]) {
      const r = avatarme(argv);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${commandHelp(reconstructCommand.spec)}\n`);
    }
  });

  it('every option of every command appears in its help with its default, and an example', () => {
    for (const { spec } of COMMANDS) {
      const help = commandHelp(spec);
      for (const [name, o] of Object.entries(spec.options)) {
        expect(help, `${spec.name} --${name}`).toContain(`--${name}`);
        expect(help).toContain(o.description);
        if (o.default !== undefined) expect(help).toContain(`default ${o.default}`);
        if (o.defaultText) expect(help).toContain(`default: ${o.defaultText}`);
      }
      expect(help).toContain('-h, --help');
      expect(help).toMatch(new RegExp(`examples:\\n  avatarme ${spec.name} `));
    }
  });

  it('--version; no command prints the overview on stderr and exits 1', () => {
    const v = avatarme(['--version']);
    expect(v.status).toBe(0);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'tools/package.json'), 'utf8'));
    expect(v.stdout).toBe(`avatarme ${version}\n`);
    for (const argv of [['--help'], ['help'], ['help', '-h']]) {
      const r = avatarme(argv);
      expect(r.status, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^avatarme ${version}: .*\n\nusage: avatarme <command>`));
    }
    const none = avatarme([]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^avatarme .*\n\nusage: avatarme <command>/);
    for (const { spec } of COMMANDS) expect(none.stderr).toContain(`  ${spec.name} `);
  });

  it('the README shows the generated command reference and this matrix', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme, 'regenerate with: avatarme help --markdown').toContain(
      markdownReference(COMMANDS.map((c) => c.spec)),
    );
    expect(readme).toContain(badInputMarkdown());
  });
});
