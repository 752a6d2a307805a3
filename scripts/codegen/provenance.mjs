// Where each spec file came from, read from ../shared/spec/README.md so the
// generated headers follow the table there when the specs are updated.
import fs from 'node:fs';
import path from 'node:path';

/**
 * Returns describe(key) → "moby/moby tag docker-v29.7.2 commit 6a43e3d… (Apache-2.0)".
 * `key` is a file listed in a table row (`docker-engine-api.yaml`) or the
 * folder/file a section heading names (`image-spec/`, `seccomp/docker-default.json`).
 */
export function readProvenance(specRoot) {
  const readme = fs.readFileSync(path.join(specRoot, 'README.md'), 'utf8');
  const sections = readme
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const newline = section.indexOf('\n');
      return { heading: section.slice(0, newline), body: section.slice(newline + 1) };
    });

  return function describe(key) {
    const quoted = `\`${key}\``;
    for (const { heading, body } of sections) {
      const row = body.split('\n').find((line) => line.startsWith(`| ${quoted} |`));
      const paragraph = heading.includes(quoted)
        ? body.split(/\n\s*\n/).find((text) => /commit `[0-9a-f]{40}`/.test(text))
        : row;
      if (paragraph !== undefined) return summarise(heading, paragraph, key);
    }
    throw new Error(`codegen: ../shared/spec/README.md says nothing about ${key}`);
  };
}

function summarise(heading, markdown, key) {
  const text = markdown.replace(/\s+/g, ' ');
  const commit = /commit `([0-9a-f]{40})`/.exec(text)?.[1];
  if (commit === undefined) throw new Error(`codegen: no commit for ${key} in ../shared/spec/README.md`);
  const repository = /\(([\w.-]+\/[\w.-]+)[,)]/.exec(heading)?.[1];
  const tag = /tag `([^`]+)`/.exec(text)?.[1];
  const describe = /`git describe`: `([^`]+)`/.exec(text)?.[1];
  const licence = /\bApache-2\.0\b/.test(heading) ? 'Apache-2.0' : undefined;
  const where = [repository, tag && `tag ${tag}`, `commit ${commit}`].filter(Boolean).join(' ');
  const notes = [describe, licence].filter(Boolean).join('; ');
  return notes ? `${where} (${notes})` : where;
}
