/** No face in the photo: the CLI turns this into exit code 2, the pipeline into its "no face" stage error. */
export class NoFaceError extends Error {
  constructor(readonly source = 'image') {
    super(`${source}: no face found`);
    this.name = 'NoFaceError';
  }
}
