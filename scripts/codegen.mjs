#!/usr/bin/env node
// Generates src/spec/ (wire types and validators) from the machine-readable
// specs in ../shared/spec/ (STYLE.md §1.10, §11).
//
//   node scripts/codegen.mjs          regenerate src/spec/*
//   node scripts/codegen.mjs --check  fail if src/spec/ differs from a fresh run
//
// A fresh clone has no ../shared/, so --check passes with a notice there.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEngineApi } from './codegen/engine-api.mjs';
import { generateOciImage, generateOciRuntime } from './codegen/oci.mjs';
import { driftedFiles, formatAll, header, removeStale, writeOutputs } from './codegen/output.mjs';
import { readProvenance } from './codegen/provenance.mjs';
import { generateSeccompDefault } from './codegen/seccomp.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specRoot = path.resolve(repoRoot, '..', 'shared', 'spec');
const outDir = path.join(repoRoot, 'src', 'spec');

async function generate() {
  const context = { specRoot, describe: readProvenance(specRoot), header };
  const outputs = [
    ...(await generateEngineApi(context)),
    ...(await generateOciImage(context)),
    ...(await generateOciRuntime(context)),
    ...generateSeccompDefault(context),
  ];
  return formatAll(outputs, outDir);
}

function check(outputs) {
  const freshDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-spec-'));
  try {
    writeOutputs(outputs, freshDir);
    const drifted = driftedFiles(outputs, freshDir, outDir);
    if (drifted.length === 0) {
      console.log(`spec: src/spec/ is up to date with ../shared/spec (${outputs.length} files)`);
      return 0;
    }
    console.error('spec: src/spec/ has drifted from ../shared/spec; run `node scripts/codegen.mjs`:');
    for (const line of drifted) console.error(`  src/spec/${line}`);
    return 1;
  } finally {
    fs.rmSync(freshDir, { recursive: true, force: true });
  }
}

async function main(argv) {
  const checking = argv.includes('--check');
  if (!fs.existsSync(specRoot)) {
    if (checking) {
      console.log('spec: ../shared/spec not present, skipping drift check');
      return 0;
    }
    console.error(`spec: ${specRoot} not found; nothing to generate from`);
    return 1;
  }
  const outputs = await generate();
  if (checking) return check(outputs);
  writeOutputs(outputs, outDir);
  removeStale(outputs, outDir);
  console.log(`spec: wrote ${outputs.map(({ file }) => `src/spec/${file}`).join(', ')}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
