/**
 * Progress of a long operation (pull, push, load, build), one event per
 * change. `api` turns these into Docker's JSON-lines progress messages and
 * `cli` into bars.
 */
export interface ProgressEvent {
  /** What the event is about: a short layer ID, or absent for the whole operation. */
  id?: string;
  /** Docker's status words: "Loading layer", "Pull complete", "Loaded image: x". */
  status: string;
  current?: number;
  total?: number;
}

export type ProgressSink = (event: ProgressEvent) => void;

/** The options every long operation takes (STYLE.md §7). */
export interface OperationOptions {
  signal?: AbortSignal;
  progress?: ProgressSink;
}
