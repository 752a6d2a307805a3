/**
 * Every benchmark case by name, in the order `npm run bench` runs them.
 * Adding a case: one file in this folder exporting a factory, one line here.
 */
import type { BenchCase } from '../case.js';
import { createLoadCase } from './load.js';

export const CASE_FACTORIES: ReadonlyMap<string, () => BenchCase> = new Map([['load', createLoadCase]]);
