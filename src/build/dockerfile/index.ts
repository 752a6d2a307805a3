/**
 * build/dockerfile — turns Dockerfile text into a typed AST with Docker's
 * rules (parser directives, continuations, comments, exec vs shell form,
 * heredocs, instruction flags), expands words as Docker's shell lexer does,
 * and scopes ARG values. Pure string logic: no I/O, no image or engine
 * knowledge; evaluation lives in `build/`.
 *
 * Which arguments Docker expands (with the stage's ENV, then ARG values):
 * ADD, COPY (sources, destination, --from, --chown, --chmod), ENV, ARG,
 * LABEL, EXPOSE (the only one split into several words: `expandWords`),
 * STOPSIGNAL, USER, VOLUME, WORKDIR; FROM with the global ARGs only. RUN,
 * CMD, ENTRYPOINT, SHELL and HEALTHCHECK are left to the container's shell;
 * ONBUILD and MAINTAINER are taken literally.
 *
 * Reference: https://docs.docker.com/reference/dockerfile/
 */
export type {
  AddInstruction,
  ArgDeclaration,
  ArgInstruction,
  CmdInstruction,
  CommandLine,
  CopyInstruction,
  CopySource,
  Directives,
  Dockerfile,
  EntrypointInstruction,
  EnvInstruction,
  EscapeChar,
  ExposeInstruction,
  HealthConfig,
  HealthcheckInstruction,
  Heredoc,
  Instruction,
  InstructionBase,
  InstructionKind,
  KeyValue,
  LabelInstruction,
  MaintainerInstruction,
  OnbuildInstruction,
  ParseWarning,
  RunInstruction,
  ShellInstruction,
  Stage,
  StopsignalInstruction,
  UserInstruction,
  VolumeInstruction,
  WorkdirInstruction,
} from './types.js';
export { parseDockerfile, parseOnbuildTrigger } from './parse.js';
export { expandWord, expandWords, type ExpandOptions, type ExpansionEnv } from './lexer.js';
export { ArgScope, platformArgs, type ArgScopeOptions, type PlatformParts } from './arg-scope.js';
