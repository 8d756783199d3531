import type { ParseInput } from '../types.js';
import { blankComments, GROOVY_OR_KOTLIN, LineIndex } from './code-text.js';
import { childText, childrenNamed, parseXml, type XmlElement } from './xml-lines.js';

/** A library a Java build puts on the app's runtime classpath, and the line that declares it. */
export interface JavaDependency {
  group: string;
  artifact: string;
  line: number;
  column: number;
}

// Scopes and configurations that do not reach the running app: a spring-session jar used only by
// tests, or only at compile time, stores no session in production.
const NON_RUNTIME_SCOPES = new Set(['test', 'provided', 'system', 'import']);

/**
 * pom.xml: `<dependency>` elements of the project and of its profiles (a profile's dependencies join
 * when the profile is active; we count them, as a build for production usually activates them).
 * `<dependencyManagement>` only pins versions and plugin `<dependencies>` are the build's own, so
 * neither counts. Located at the `<artifactId>` line, the line a reader recognises.
 * https://maven.apache.org/pom.html#Dependencies
 */
export function pomDependencies(input: ParseInput): JavaDependency[] {
  const project = parseXml(input.file, input.text);
  const lists: XmlElement[] = [...childrenNamed(project, 'dependencies')];
  for (const profiles of childrenNamed(project, 'profiles')) {
    for (const profile of childrenNamed(profiles, 'profile')) lists.push(...childrenNamed(profile, 'dependencies'));
  }
  const found: JavaDependency[] = [];
  for (const list of lists) {
    for (const dependency of childrenNamed(list, 'dependency')) {
      const artifact = dependency.children.find((child) => child.name === 'artifactId');
      const group = childText(dependency, 'groupId');
      const scope = childText(dependency, 'scope');
      if (!artifact || !group || (scope && NON_RUNTIME_SCOPES.has(scope))) continue;
      found.push({ group, artifact: artifact.text, line: artifact.line, column: artifact.column });
    }
  }
  return found;
}

// Gradle configurations that put a library on the runtime classpath. testImplementation,
// compileOnly, developmentOnly, annotationProcessor and the like do not.
// https://docs.gradle.org/current/userguide/java_library_plugin.html#sec:java_library_configurations_graph
const RUNTIME_CONFIGURATION = String.raw`(?<![\w.$])(?:implementation|api|compile|runtime|runtimeOnly)`;

const NOTATIONS = [
  // implementation 'group:artifact:version'   implementation("group:artifact")
  new RegExp(String.raw`${RUNTIME_CONFIGURATION}\s*\(?\s*(["'])([^"'\s:]+):([^"'\s:]+)(?::[^"']*)?\1`, 'g'),
  // implementation group: 'g', name: 'a'   implementation(group = "g", name = "a")
  new RegExp(String.raw`${RUNTIME_CONFIGURATION}\s*\(?\s*group\s*[:=]\s*(["'])([^"']+)\1\s*,\s*name\s*[:=]\s*["']([^"']+)["']`, 'g'),
];
// implementation(libs.spring.session.data.redis): a version catalog alias. The alias is the
// project's choice, but catalogs conventionally name libraries after their artifact, so we match
// the accessor against the artifact with separators dropped.
// https://docs.gradle.org/current/userguide/version_catalogs.html
const CATALOG = new RegExp(String.raw`${RUNTIME_CONFIGURATION}\s*\(?\s*libs\.([\w.]+)`, 'g');

/**
 * build.gradle (Groovy DSL) and build.gradle.kts (Kotlin DSL): dependency declarations in string,
 * map and named-argument notation, and version catalog accessors. Comments are blanked first, so a
 * commented-out line declares nothing. Catalog entries have no group: `group` is ''.
 */
export function gradleDependencies(input: ParseInput): JavaDependency[] {
  const code = blankComments(input.text, GROOVY_OR_KOTLIN);
  const lines = new LineIndex(code);
  const found: Array<JavaDependency & { offset: number }> = [];
  for (const pattern of NOTATIONS) {
    for (const match of code.matchAll(pattern)) {
      found.push({ group: match[2], artifact: match[3], offset: match.index, ...lines.at(match.index) });
    }
  }
  for (const match of code.matchAll(CATALOG)) {
    found.push({ group: '', artifact: match[1], offset: match.index, ...lines.at(match.index) });
  }
  return found.sort((a, b) => a.offset - b.offset).map(({ group, artifact, line, column }) => ({ group, artifact, line, column }));
}

/** Does a dependency name this artifact? Catalog accessors (`spring.session.data.redis`) match by letters alone. */
export function isArtifact(dependency: JavaDependency, artifact: string): boolean {
  if (dependency.group !== '') return dependency.artifact === artifact;
  const letters = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  return letters(dependency.artifact) === letters(artifact);
}
