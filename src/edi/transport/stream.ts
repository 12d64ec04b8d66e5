import { PassThrough, type Readable } from 'node:stream';

/**
 * Hands `source` to the caller through a PassThrough, so the caller only ever sees errors
 * passed through `classify` (`stream.pipeline` would destroy the output with the raw error
 * first). Backpressure is kept by `pipe`; `done` runs once, when either side finishes, fails
 * or is destroyed, to release what the source holds (a connection lease, a file handle).
 */
export function guardedStream(source: Readable, classify: (error: unknown) => Error, done: () => void = () => undefined): Readable {
  const out = new PassThrough();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  source.on('error', (error) => {
    out.destroy(classify(error));
    finish();
  });
  source.on('close', finish);
  // The caller gave up (destroy) or an error ended it: stop reading the source.
  out.on('close', () => {
    if (!source.destroyed) source.destroy();
    finish();
  });
  source.pipe(out);
  return out;
}
