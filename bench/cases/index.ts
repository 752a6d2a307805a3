/**
 * Every benchmark case by name, in the order `npm run bench` runs them.
 * Adding a case: one file in this folder exporting a factory, one line here.
 */
import type { BenchCase } from '../case.js';
import { createLoadCase } from './load.js';
import { createMemoryCase } from './memory.js';
import { createPsCase } from './ps.js';
import { createRunCase } from './run.js';

export const CASE_FACTORIES: ReadonlyMap<string, () => BenchCase> = new Map([
  ['load', createLoadCase],
  ['run', createRunCase],
  ['ps', createPsCase],
  ['memory', createMemoryCase],
]);
