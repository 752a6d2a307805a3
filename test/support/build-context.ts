import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes a build context directory from a map of relative paths to contents. */
export async function writeContext(files: Record<string, string | Buffer>, root?: string): Promise<string> {
  const dir = root ?? (await mkdtemp(join(tmpdir(), 'berth-ctx-')));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** The steps of a classic build output, each with whether it came from the cache. */
export function buildSteps(output: string): { step: string; cached: boolean }[] {
  const steps: { step: string; cached: boolean }[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('Step ')) steps.push({ step: line, cached: false });
    else if (line === ' ---> Using cache') steps[steps.length - 1]!.cached = true;
  }
  return steps;
}
