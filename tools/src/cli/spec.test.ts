import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commands/index.ts';
import { reconstructCommand } from './commands/reconstruct.ts';
import { upscaleCommand } from './commands/upscale.ts';
import { parseCommandLine, synopsis, type CommandSpec } from './spec.ts';

const reconstruct = reconstructCommand.spec;
const parse = (spec: CommandSpec, ...argv: string[]) => parseCommandLine(spec, argv);
const options = (spec: CommandSpec, ...argv: string[]) => {
  const p = parse(spec, ...argv);
  if (p.help) throw new Error('help');
  return p;
};

describe('parsing by the option table', () => {
  it('applies the defaults of the table and converts integers', () => {
    const p = options(reconstruct, 'a.png', '--out', 'o');
    expect(p.positional).toEqual(['a.png']);
    expect(p.options).toMatchObject({
      out: 'o',
      'uv-size': 256,
      upscale: 1,
      shape: 'head',
      force: false,
      json: false,
    });
    expect(p.options['face-model']).toBeUndefined();
    expect(p.options.tile).toBeUndefined();
  });

  it('reads --name value, --name=value, booleans and -- before positionals', () => {
    const p = options(reconstruct, '--uv-size=512', '--force', '--out', 'o', '--json', '--', '-odd.png');
    expect(p.options['uv-size']).toBe(512);
    expect(p.options.force).toBe(true);
    expect(p.options.json).toBe(true);
    expect(p.positional).toEqual(['-odd.png']);
  });

  it('takes several photos for reconstruct (a batch), one image elsewhere', () => {
    expect(options(reconstruct, 'a.png', 'b.jpg', '--out', 'o').positional).toEqual(['a.png', 'b.jpg']);
    expect(() => parse(upscaleCommand.spec, 'a.png', 'b.png', '--out', 'x.png')).toThrow(
      'unexpected argument "b.png" (upscale takes one <image>; avatarme upscale --help lists every option)',
    );
  });

  it('-h and --help anywhere ask for help, even with other errors on the line', () => {
    expect(parse(reconstruct, '-h')).toEqual({ help: true });
    expect(parse(reconstruct, 'a.png', '--uv-size', '7', '--help')).toEqual({ help: true });
  });

  it.each([
    [['a.png', '--out', 'o', '--uv-size', '1e3'], '--uv-size 1e3: expected an integer from 64 to 4096'],
    [['a.png', '--out', 'o', '--uv-size', '0x100'], '--uv-size 0x100: expected an integer from 64 to 4096'],
    [['a.png', '--out', 'o', '--uv-size', '256.0'], '--uv-size 256.0: expected an integer from 64 to 4096'],
    [['a.png', '--out', 'o', '--uv-size', ' 256'], '--uv-size  256: expected an integer from 64 to 4096'],
    [['a.png', '--out', 'o', '--uv-size', '8192'], '--uv-size 8192: expected an integer from 64 to 4096'],
    [['a.png', '--out', 'o', '--upscale', '3'], '--upscale 3: expected one of 1, 2, 4, 8'],
    [['a.png', '--out', 'o', '--tile', '-4'], '--tile -4: expected a positive integer'],
    [['a.png', '--out', 'o', '--overlap', '-1'], '--overlap -1: expected an integer ≥ 0'],
    [['a.png', '--out', 'o', '--shape', 'sphere'], '--shape sphere: expected one of head, facemesh'],
    [['a.png', '--out', 'o', '-v'], 'unknown option -v (avatarme reconstruct --help lists every option)'],
    [
      ['a.png', '--out', 'o', '--bogus', '1'],
      'unknown option --bogus (avatarme reconstruct --help lists every option)',
    ],
    [['a.png', '--out', 'o', '--out', 'p'], '--out is given twice'],
    [['a.png', '--out', 'o', '--force=yes'], '--force takes no value'],
    [['a.png', '--out'], '--out needs a value <dir>'],
    [['a.png'], 'usage: avatarme reconstruct <image>... --out <dir> [options] (missing --out)'],
    [['--out', 'o'], 'usage: avatarme reconstruct <image>... --out <dir> [options] (missing <image>)'],
  ])('rejects %j in one line: %s', (argv, message) => {
    expect(() => parse(reconstruct, ...argv)).toThrow(message);
    try {
      parse(reconstruct, ...argv);
    } catch (e) {
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it('every command parses its own examples', () => {
    for (const { spec } of COMMANDS)
      for (const example of spec.examples) {
        const [avatarme, name, ...argv] = example.replace(/'/g, '').split(' ');
        expect([avatarme, name]).toEqual(['avatarme', spec.name]);
        expect(() => parse(spec, ...argv), example).not.toThrow();
      }
  });

  it('a command of its own: flags in both spellings, integers from a list, unknown options', () => {
    const spec: CommandSpec = {
      name: 'x',
      summary: 'x',
      positional: { name: '<in>', description: 'in' },
      options: {
        out: { type: 'string', description: 'out' },
        scale: { type: 'int', choices: [2, 4, 8], default: 2, description: 'scale' },
      },
      examples: [],
    };
    const a = options(spec, 'in.png', '--out', 'x.png', '--scale=4');
    expect(a.positional).toEqual(['in.png']);
    expect(a.options).toEqual({ out: 'x.png', scale: 4 });
    expect(() => parse(spec, 'in.png', '--bogus', '1')).toThrow(/unknown option --bogus/);
    expect(() => parse(spec, 'in.png', '--scale', '5')).toThrow('--scale 5: expected one of 2, 4, 8');
  });

  it('synopsis lists positionals and required options', () => {
    expect(synopsis(reconstruct)).toBe('avatarme reconstruct <image>... --out <dir> [options]');
    expect(synopsis(upscaleCommand.spec)).toBe('avatarme upscale <image> --out <png> [options]');
  });
});
