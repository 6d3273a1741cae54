import { describe, expect, it } from 'vitest';
import { compileTier, resetCompileTierWork, setCompileTierPolicy } from './compile-tier.ts';

// The ledger is keyed by device object only, so plain objects stand in for devices here.
const fakeDevice = () => ({}) as GPUDevice;

describe('compile tier (rent or buy per device and family)', () => {
  it('stays light until the family has done heavyAfter work, then turns heavy', () => {
    const device = fakeDevice();
    expect(compileTier(device, 'conv.3x3', 400, 1000)).toBe('light');
    expect(compileTier(device, 'conv.3x3', 500, 1000)).toBe('light');
    expect(compileTier(device, 'conv.3x3', 100, 1000)).toBe('heavy');
    expect(compileTier(device, 'conv.3x3', 1, 1000)).toBe('heavy');
  });

  it('keeps separate ledgers per family and per device', () => {
    const a = fakeDevice();
    const b = fakeDevice();
    expect(compileTier(a, 'conv.3x3', 900, 1000)).toBe('light');
    expect(compileTier(a, 'conv.1x1', 900, 1000)).toBe('light');
    expect(compileTier(b, 'conv.3x3', 900, 1000)).toBe('light');
    expect(compileTier(a, 'conv.3x3', 100, 1000)).toBe('heavy');
    expect(compileTier(b, 'conv.1x1', 100, 1000)).toBe('light');
  });

  it('a single dispatch larger than the threshold goes heavy at once', () => {
    expect(compileTier(fakeDevice(), 'conv.3x3', 5000, 1000)).toBe('heavy');
  });

  it('a forced policy wins over the ledger', () => {
    const device = fakeDevice();
    setCompileTierPolicy(device, 'heavy');
    expect(compileTier(device, 'conv.3x3', 1, 1000)).toBe('heavy');
    setCompileTierPolicy(device, 'light');
    expect(compileTier(device, 'conv.3x3', 1e9, 1000)).toBe('light');
    setCompileTierPolicy(device, 'adaptive');
    expect(compileTier(device, 'conv.3x3', 1, 1000)).toBe('light');
  });

  it('after resetCompileTierWork a family starts light again, as on a fresh device', () => {
    const device = fakeDevice();
    expect(compileTier(device, 'conv.3x3', 900, 1000)).toBe('light');
    resetCompileTierWork(device);
    expect(compileTier(device, 'conv.3x3', 900, 1000)).toBe('light');
    expect(compileTier(device, 'conv.3x3', 100, 1000)).toBe('heavy');
  });
});
