import { apacheParser } from './apache.js';
import { caddyParser } from './caddy.js';
import { cloudformationParser } from './cloudformation.js';
import { composeParser } from './compose.js';
import { envoyParser } from './envoy.js';
import { haproxyParser } from './haproxy.js';
import { kubernetesParser } from './kubernetes.js';
import { nginxParser } from './nginx.js';
import { terraformParser } from './terraform.js';
import { traefikParser } from './traefik.js';
import type { ConfigParser } from './types.js';

/** Every config parser. A file may be claimed by several (a YAML file is tried as each YAML format). */
export const PARSERS: readonly ConfigParser[] = [
  apacheParser,
  caddyParser,
  cloudformationParser,
  composeParser,
  envoyParser,
  haproxyParser,
  kubernetesParser,
  nginxParser,
  terraformParser,
  traefikParser,
];

export type { ConfigParser, ModelFragment, ParseInput } from './types.js';
