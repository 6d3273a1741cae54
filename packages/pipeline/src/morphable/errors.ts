/** A bad or inconsistent morphable-model file: the message is one line naming the file and what is wrong. */
export class MorphableModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MorphableModelError';
  }
}
