import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate, FormatContext, HEADER_FUNCS, printValue, TemplateError, toJSON } from './template.js';

const inspect = {
  Id: 'sha256:abc',
  RepoTags: ['busybox:latest', 'busybox:1'],
  Size: 4261550,
  Config: { Env: ['PATH=/bin', 'A=1'], Labels: { b: '2', a: '1' }, Cmd: null },
  Empty: [],
};

describe('template execution', () => {
  const cases: Array<[string, string]> = [
    ['{{.Id}}', 'sha256:abc'],
    ['id={{ .Id }}!', 'id=sha256:abc!'],
    ['{{.Size}}', '4261550'],
    ['{{.Config.Env}}', '[PATH=/bin A=1]'],
    ['{{.Config.Labels}}', 'map[a:1 b:2]'],
    ['{{.Config.Cmd}}', '<nil>'],
    ['{{.Missing}}', '<no value>'],
    ['{{json .Config.Env}}', '["PATH=/bin","A=1"]'],
    ['{{.Config.Env | json}}', '["PATH=/bin","A=1"]'],
    ['{{index .RepoTags 1}}', 'busybox:1'],
    ['{{index .Config.Labels "a"}}', '1'],
    ['{{len .RepoTags}}', '2'],
    ['{{join .RepoTags ", "}}', 'busybox:latest, busybox:1'],
    ['{{upper (index .RepoTags 0)}}', 'BUSYBOX:LATEST'],
    ['{{range .RepoTags}}<{{.}}>{{end}}', '<busybox:latest><busybox:1>'],
    ['{{range .Empty}}x{{else}}none{{end}}', 'none'],
    ['{{if .Config.Cmd}}cmd{{else if .Config.Env}}env{{else}}nothing{{end}}', 'env'],
    ['{{with .Config}}{{.Env}}{{end}}', '[PATH=/bin A=1]'],
    ['{{if eq .Size 4261550}}big{{end}}', 'big'],
    ['a  {{- .Size -}}  b', 'a4261550b'],
    ['{{/* comment */}}ok', 'ok'],
    ['{{$.Id}}', 'sha256:abc'],
    ['{{title "hello world"}} {{lower "ABC"}} {{pad "x" 1 2}}| {{truncate "abcdef" 3}}', 'Hello World abc  x  | abc'],
    ['{{split "a,b" ","}}', '[a b]'],
  ];
  for (const [source, want] of cases) {
    test(`${source} gives ${want}`, () => assert.equal(compileTemplate(source).execute(inspect), want));
  }

  const errors = ['{{.Id', '{{end}}', '{{if .Id}}x', '{{nofunc .Id}}', '{{.Id .Size}}', '{{index .RepoTags 5}}'];
  for (const source of errors) {
    test(`${source} is an error`, () => assert.throws(() => compileTemplate(source).execute(inspect), TemplateError));
  }
});

describe('format contexts', () => {
  const row = new FormatContext({ ID: 'abc', Repository: '<none>', Size: '1kB' }, 'imageContext');

  test('fields read like struct fields', () =>
    assert.equal(compileTemplate('{{.ID}} {{.Size}}').execute(row), 'abc 1kB'));
  test('an unknown field is an error, as on a Go struct', () => {
    assert.throws(() => compileTemplate('{{.Nope}}').execute(row), /can't evaluate field Nope in type imageContext/);
  });
  test('json marshals sorted keys with <>& escaped, like docker', () => {
    assert.equal(toJSON(row), '{"ID":"abc","Repository":"\\u003cnone\\u003e","Size":"1kB"}');
  });
  test('header functions pass the column title through', () => {
    assert.equal(compileTemplate('{{upper .ID}}', HEADER_FUNCS).execute({ ID: 'IMAGE ID' }), 'IMAGE ID');
  });
  test('values print like Go %v', () => {
    assert.equal(printValue([1, 'a', null, { k: true }]), '[1 a <nil> map[k:true]]');
    assert.equal(printValue(1.5e-7), '1.5e-07');
  });
});
