// Which setting wins where the project file (.smtpdoctor.yaml) and the user's own settings (VS Code
// settings, CLI flags) both speak: the user's, rule by rule. Both front ends ask here.
import type { RuleSeverityOverrides } from '../model';
import type { ProjectConfig } from '../projectConfig';

/** The Postfix release configurations are for, and where the user said so. */
export interface PostfixRelease {
  readonly version: string;
  readonly why: string;
}

/** The project file's severities with the user's on top (a rule the user sets is theirs; the others stay). */
export function severitiesOver(project: RuleSeverityOverrides | undefined, user: RuleSeverityOverrides | undefined): RuleSeverityOverrides {
  return { ...project, ...user };
}

/** The user's release, else the project file's. */
export function releaseOver(project: PostfixRelease | undefined, user: PostfixRelease | undefined): PostfixRelease | undefined {
  return user ?? project;
}

/** postfix.version of a project file, naming the file it came from. */
export function projectRelease(config: ProjectConfig | undefined): PostfixRelease | undefined {
  if (!config?.postfixVersion) return undefined;
  const name = config.file.slice(Math.max(config.file.lastIndexOf('/'), config.file.lastIndexOf('\\')) + 1);
  return { version: config.postfixVersion, why: `postfix.version in ${name}` };
}
