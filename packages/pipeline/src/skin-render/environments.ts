/**
 * Environment lighting presets as second-order SH irradiance (rgb per basis function, linear) plus a
 * key light. Values are chosen by eye to read as: an even studio, a bright overcast sky with ground
 * bounce, and warm indoor light from one side.
 */
export interface Environment {
  name: string;
  sh: number[][]; // 9 × rgb
  lightDirection: [number, number, number]; // towards the light, world space (y up, +z to viewer)
  lightColor: [number, number, number];
}

const grey = (v: number): number[] => [v, v, v];

export const ENVIRONMENTS: Record<string, Environment> = {
  studio: {
    name: 'studio',
    sh: [grey(1.0), grey(0.2), grey(0.3), grey(0), grey(0), grey(0), grey(-0.05), grey(0), grey(0)],
    lightDirection: [0.4, 0.5, 0.77],
    lightColor: [0.85, 0.85, 0.85],
  },
  outdoor: {
    name: 'outdoor',
    sh: [
      [1.3, 1.4, 1.6],
      [0.5, 0.55, 0.7],
      grey(0.2),
      grey(0.05),
      grey(0),
      grey(0.05),
      [0.1, 0.1, 0.15],
      grey(0),
      grey(0),
    ],
    lightDirection: [-0.3, 0.8, 0.5],
    lightColor: [1.7, 1.6, 1.4],
  },
  warm: {
    name: 'warm',
    sh: [
      [1.0, 0.8, 0.6],
      grey(0.1),
      grey(0.2),
      [0.4, 0.3, 0.15],
      grey(0),
      grey(0),
      grey(0),
      grey(0),
      grey(0),
    ],
    lightDirection: [0.8, 0.2, 0.55],
    lightColor: [1.8, 1.35, 0.9],
  },
};
