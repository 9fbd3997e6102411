// The project file (.smtpdoctor.yaml) as a configuration source. It is not found by the workspace scan but at
// a workspace folder's root (the editor) or in the first checked path's folder and above (the CLI); the front
// ends parse it with parseProjectConfig and apply its rules, postfix version and excludes to every other
// source. In a check it adds nothing: the registry lists it after the application settings, which read it as
// any YAML file (it names no mail server).
import { PROJECT_FILE_NAMES, isProjectFile } from './projectConfig';
import type { ConfigSource } from './sources/source';

export const PROJECT_FILE_SOURCE: ConfigSource = {
  id: 'project',
  discovery: 'project-root',
  globs: /* @__PURE__ */ PROJECT_FILE_NAMES.map((name) => `**/${name}`),
  // Its own problems (config/project-file) are the engine's: the front ends parse the file, not a check.
  rules: [],
  editor: { languages: [], documentLanguages: ['yaml'], activationEvents: [] },
  claims: ({ file }) => isProjectFile(file),
  recognise: (path) => isProjectFile(path),
  scanReading: () => undefined,
  open: () => ({ finish: () => ({ findings: [], endpoints: [], checkedFiles: 0 }) }),
};
