import path from 'node:path';
import type { EnvSetting, SessionConfig } from '../../model/index.js';
import type { ParseInput } from '../types.js';
import { appRootOf } from './app-root.js';
import { gradleDependencies, pomDependencies } from './java-dependencies.js';
import { readProperties, type PropertyLine } from './java-properties.js';
import { sessionConfigFromDependencies } from './spring-dependencies.js';
import { isConditional, sessionConfigFromSettings, settingsFromEnv, settingsFromLines, type SettingsContext } from './spring-settings.js';
import type { AppSettingsReader } from './types.js';
import { readYamlProperties } from './yaml-properties.js';

/**
 * Spring Boot apps. One app's session settings are spread over several files, and each file gives
 * its own SessionConfig with the app root on it, so the linking step can merge them by appRoot:
 *
 * | file                                   | fills                                                           |
 * |----------------------------------------|-----------------------------------------------------------------|
 * | pom.xml, build.gradle, build.gradle.kts | storage + storageDetail (which Spring Session store, or the      |
 * |                                        | container's memory for a web app without one), at the dependency |
 * | application[-profile].properties/.yml  | storage only from spring.session.store-type (else 'unknown'),    |
 * |                                        | storeHosts (Redis host/url/nodes), cookie name/secure/httpOnly/  |
 * |                                        | sameSite, lifetime (spring.session.timeout, then                 |
 * |                                        | server.servlet.session.timeout)                                  |
 * | environment (fromEnv)                  | the same as the properties, from SPRING_SESSION_STORE_TYPE etc.  |
 *
 * The build file knows nothing of cookies or timeouts, so it leaves them unset. A base application
 * file that configures sessions also carries the framework defaults (Secure off, HttpOnly on, 30
 * minutes) without a location; a profile file, profile section or the environment only overlays what
 * it names, so it carries no defaults.
 */

const BUILD_FILE = /^(.+\.)?pom\.xml$|^build\.gradle(\.kts)?$/i;
const PROPERTIES = /\.properties$/i;
const YAML = /\.ya?ml$/i;
/** application.yml, application-prod.properties: Spring Boot's own config file names. */
const SPRING_CONFIG_NAME = /^application(-[^.]+)?\.(properties|ya?ml)$/i;
const PROFILE_FILE = /^application-[^.]+\.(properties|ya?ml)$/i;

/** Cheap text checks before parsing: does a properties or YAML file mention anything we read? */
const PROPERTIES_HINT = /^\s*(spring\.(session|data\.redis|redis)|server\.(servlet\.)?session)/im;
const YAML_HINT = /^(spring|server)\s*:/m;
const YAML_TOPIC = /\b(session|servlet|redis)\b/;

export const springReader: AppSettingsReader = {
  id: 'spring',

  wants(fileName) {
    return BUILD_FILE.test(fileName) || PROPERTIES.test(fileName) || YAML.test(fileName);
  },

  read(input) {
    const name = path.basename(input.file);
    if (BUILD_FILE.test(name)) return readBuildFile(input, name);
    if (PROPERTIES.test(name)) {
      if (!PROPERTIES_HINT.test(input.text)) return [];
      return readConfigFile(input, name, readProperties(input));
    }
    if (YAML.test(name)) {
      // Any YAML file may be a Spring config under another name (the rule fixtures are), but most are
      // not: only parse those named like Spring's or with a top-level spring:/server: about sessions.
      if (!SPRING_CONFIG_NAME.test(name) && !(YAML_HINT.test(input.text) && YAML_TOPIC.test(input.text))) return [];
      return readConfigFile(input, name, readYamlProperties(input));
    }
    return [];
  },

  fromEnv(env: EnvSetting[], appRoot: string): SessionConfig[] {
    const config = sessionConfigFromSettings(settingsFromEnv(env), { appRoot, overlay: true, strict: false });
    return config ? [config] : [];
  },
};

function readBuildFile(input: ParseInput, name: string): SessionConfig[] {
  const isPom = /pom\.xml$/i.test(name);
  // Bail out before parsing: a build without Spring Boot or Spring Session has nothing for us.
  if (!/spring-(session|boot-starter-web)|spring\.session|spring\.boot\.starter\.web/i.test(input.text)) return [];
  const dependencies = isPom ? pomDependencies(input) : gradleDependencies(input);
  return sessionConfigFromDependencies(input, dependencies, appRootOf(input.absPath));
}

/**
 * A properties or YAML file: sections without a profile condition merge into one base config (later
 * wins, as Spring reads them); each profile-conditional section gives its own overlay config.
 */
function readConfigFile(input: ParseInput, name: string, documents: PropertyLine[][]): SessionConfig[] {
  const appRoot = appRootOf(input.absPath);
  const lines = input.lines();
  const base: PropertyLine[] = [];
  const overlays: PropertyLine[][] = [];
  for (const document of documents) {
    if (isConditional(document)) overlays.push(document);
    else base.push(...document);
  }
  const context: SettingsContext = { appRoot, overlay: PROFILE_FILE.test(name), strict: true };
  const configs: SessionConfig[] = [];
  const baseConfig = sessionConfigFromSettings(settingsFromLines(input.file, base, lines), context);
  if (baseConfig) configs.push(baseConfig);
  for (const overlay of overlays) {
    const config = sessionConfigFromSettings(settingsFromLines(input.file, overlay, lines), { ...context, overlay: true });
    if (config) configs.push(config);
  }
  return configs;
}
