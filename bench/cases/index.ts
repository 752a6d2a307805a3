/**
 * Every benchmark case by name, in the order `npm run bench` runs them.
 * Adding a case: one file in this folder exporting a factory, one line here.
 */
import type { BenchCase } from '../case.js';
import { createBuildCachedCase, createBuildChangedCase, createBuildColdCase } from './build.js';
import { createLoadCase } from './load.js';
import { createMemoryCase } from './memory.js';
import { createNetworkStartCase } from './network-start.js';
import { createNetworkThroughputCase } from './network-throughput.js';
import { createPsApiCase, createPsCase } from './ps.js';
import { createPullCase } from './pull.js';
import { createPushCase } from './push.js';
import { createNetworkStartApiCase, createRunApiCase, createRunCase } from './run.js';

export const CASE_FACTORIES: ReadonlyMap<string, () => BenchCase> = new Map([
  ['load', createLoadCase],
  ['run', createRunCase],
  ['run-api', createRunApiCase],
  ['ps', createPsCase],
  ['ps-api', createPsApiCase],
  ['pull', createPullCase],
  ['push', createPushCase],
  ['memory', createMemoryCase],
  ['network-start', createNetworkStartCase],
  ['network-start-api', createNetworkStartApiCase],
  ['network-throughput', createNetworkThroughputCase],
  ['build-cold', createBuildColdCase],
  ['build-cached', createBuildCachedCase],
  ['build-changed', createBuildChangedCase],
]);
