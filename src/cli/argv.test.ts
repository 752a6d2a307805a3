import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, Option } from 'commander';
import { normalizeBoolFlags } from './argv.js';

function program(): Command {
  const root = new Command('berth').option('-H, --host <host>');
  root.addCommand(
    new Command('history')
      .option('-H, --human', 'human', true)
      .addOption(new Option('--no-human').hideHelp())
      .option('--no-trunc')
      .option('-q, --quiet')
      .option('--format <string>'),
  );
  root.addCommand(new Command('daemon').allowUnknownOption());
  return root;
}

describe('normalizeBoolFlags', () => {
  const cases: Array<[string[], string[]]> = [
    [
      ['history', '-H=false', 'busybox'],
      ['history', '--no-human', 'busybox'],
    ],
    [
      ['history', '--human=false', 'busybox'],
      ['history', '--no-human', 'busybox'],
    ],
    [
      ['history', '--human=true', 'busybox'],
      ['history', '--human', 'busybox'],
    ],
    [
      ['history', '-q=1', '--no-trunc=false', 'x'],
      ['history', '-q', 'x'],
    ],
    [
      ['history', '--no-trunc=true', 'x'],
      ['history', '--no-trunc', 'x'],
    ],
    [
      ['history', '--format=false', 'x'],
      ['history', '--format=false', 'x'],
    ],
    [
      ['history', '-q=maybe', 'x'],
      ['history', '-q=maybe', 'x'],
    ],
    [
      ['-H=unix:///x.sock', 'history', 'x'],
      ['-H=unix:///x.sock', 'history', 'x'],
    ],
    [
      ['history', '--', '-q=true'],
      ['history', '--', '-q=true'],
    ],
    [
      ['daemon', '--debug=false'],
      ['daemon', '--debug=false'],
    ],
  ];
  for (const [args, want] of cases) {
    test(`${args.join(' ')} → ${want.join(' ')}`, () => assert.deepEqual(normalizeBoolFlags(program(), args), want));
  }
});
