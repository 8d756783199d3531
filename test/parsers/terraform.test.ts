import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Affinity } from '../../src/model/index.js';
import { parseHcl } from '../../src/parsers/hcl.js';
import { terraformParser } from '../../src/parsers/terraform.js';
import { detects, parseFixture, parseText, repoRoot, parseErrorOf } from '../support/parse.js';

const summary = (affinities: Affinity[]) =>
  affinities.map((a) => ({ line: a.location.line, column: a.location.column, mechanism: a.mechanism, pool: a.pool, cookie: a.cookie }));

const parseErrorOfTf = (text: string, file = 'broken.tf'): ParseError => parseErrorOf(terraformParser, file, text);

describe('terraform parser: AWS', () => {
  const affinities = parseFixture(terraformParser, 'fixtures/parsers/terraform/aws.tf');

  it('finds every target group, ELB policy and listener stickiness that is on', () => {
    expect(summary(affinities)).toEqual([
      {
        line: 38,
        column: 3,
        mechanism: 'lb-cookie',
        pool: 'aws_lb_target_group.web',
        cookie: { name: 'AWSALB', maxAgeSeconds: 604800, lifetimeText: 'cookie_duration = 604800' },
      },
      {
        line: 51,
        column: 5,
        mechanism: 'app-cookie',
        pool: 'aws_lb_target_group.api',
        cookie: { name: 'JSESSIONID', maxAgeSeconds: 3600, lifetimeText: 'cookie_duration = 3600' },
      },
      { line: 64, column: 3, mechanism: 'client-ip', pool: 'aws_lb_target_group.tcp', cookie: undefined },
      {
        line: 89,
        column: 5,
        mechanism: 'lb-cookie',
        pool: 'aws_alb_target_group.toggled',
        cookie: { name: 'AWSALB', maxAgeSeconds: 86400, lifetimeText: 'cookie_duration not set: 86400 s (1 day) by default' },
      },
      {
        line: 103,
        column: 7,
        mechanism: 'lb-cookie',
        pool: 'aws_lb_target_group.module_input',
        cookie: { name: 'AWSALB', lifetimeText: 'cookie_duration = try(stickiness.value.cookie_duration, 86400)' },
      },
      {
        line: 131,
        column: 1,
        mechanism: 'lb-cookie',
        pool: 'aws_elb.lb port 80',
        cookie: { name: 'AWSELB', maxAgeSeconds: 600, lifetimeText: 'cookie_expiration_period = 600' },
      },
      {
        line: 138,
        column: 1,
        mechanism: 'lb-cookie',
        pool: 'aws_elb.lb port 443',
        cookie: { name: 'AWSELB', maxAgeSeconds: null, lifetimeText: 'no cookie_expiration_period: lasts for the browser session' },
      },
      {
        line: 144,
        column: 1,
        mechanism: 'app-cookie',
        pool: 'aws_elb.lb port 80',
        cookie: { name: 'MyAppCookie', lifetimeText: 'follows the application cookie' },
      },
      {
        line: 168,
        column: 9,
        mechanism: 'lb-cookie',
        pool: 'aws_lb_listener.front_end',
        cookie: { name: 'AWSALBTG', maxAgeSeconds: 600, lifetimeText: 'duration = 600' },
      },
    ]);
  });

  it('spells the mechanism and what an unresolved value depends on in the detail', () => {
    expect(affinities.map((a) => a.detail)).toEqual([
      'stickiness lb_cookie',
      'stickiness app_cookie JSESSIONID',
      'stickiness source_ip',
      'stickiness lb_cookie (enabled = var.sticky_sessions: var.sticky_sessions defaults to true)',
      'stickiness lb_cookie (dynamic block, for_each = var.stickiness == null ? [] : [var.stickiness]; ' +
        'enabled = try(stickiness.value.enabled, true): depends on try(stickiness.value.enabled, true))',
      'lb cookie stickiness policy, cookie_expiration_period = 600',
      'lb cookie stickiness policy',
      'app cookie stickiness policy MyAppCookie',
      'forward stickiness (target group)',
    ]);
  });

  it('takes the evidence from the source line and the file from the input', () => {
    expect(affinities[0].evidence).toBe('stickiness {');
    expect(affinities[1].evidence).toBe('enabled         = true');
    expect(affinities[2].evidence).toBe('stickiness { type = "source_ip" }');
    expect(affinities[5].evidence).toBe('resource "aws_lb_cookie_stickiness_policy" "foo" {');
    expect(affinities.every((a) => a.format === 'terraform' && a.location.file === 'fixtures/parsers/terraform/aws.tf')).toBe(true);
  });

  it('leaves the ALB cookie flags undefined: they cannot be configured', () => {
    for (const a of affinities) {
      expect(a.cookie?.secure).toBeUndefined();
      expect(a.cookie?.httpOnly).toBeUndefined();
    }
  });

  it('skips disabled, commented-out and lambda target groups, and braces inside strings and heredocs', () => {
    const pools = affinities.map((a) => a.pool);
    expect(pools).not.toContain('aws_lb_target_group.off');
    expect(pools).not.toContain('aws_lb_target_group.lambda-example');
  });
});

describe('terraform parser: Google', () => {
  it('maps each session_affinity to its mechanism and cookie', () => {
    const affinities = parseFixture(terraformParser, 'fixtures/parsers/terraform/gcp.tf');
    expect(summary(affinities)).toEqual([
      {
        line: 14,
        column: 3,
        mechanism: 'lb-cookie',
        pool: 'google_compute_backend_service.cookie',
        cookie: { name: 'GCLB', maxAgeSeconds: 1800, lifetimeText: 'affinity_cookie_ttl_sec = 1800' },
      },
      {
        line: 20,
        column: 3,
        mechanism: 'lb-cookie',
        pool: 'google_compute_backend_service.session_cookie',
        cookie: { name: 'GCLB', maxAgeSeconds: null, lifetimeText: 'affinity_cookie_ttl_sec unset: a browser-session cookie' },
      },
      {
        line: 30,
        column: 3,
        mechanism: 'app-cookie',
        pool: 'google_compute_backend_service.ring',
        cookie: { name: 'mycookie', maxAgeSeconds: 11, lifetimeText: 'ttl { seconds = 11 }' },
      },
      { line: 53, column: 3, mechanism: 'header', pool: 'google_compute_backend_service.header_affinity', cookie: undefined },
      {
        line: 63,
        column: 3,
        mechanism: 'lb-cookie',
        pool: 'google_compute_backend_service.sticky',
        cookie: { name: 'GCLB_SESSION', maxAgeSeconds: 3600, lifetimeText: 'ttl { seconds = 3600 }' },
      },
      { line: 78, column: 3, mechanism: 'client-ip', pool: 'google_compute_region_backend_service.ilb', cookie: undefined },
      { line: 89, column: 3, mechanism: 'client-ip', pool: 'google_compute_target_pool.default', cookie: undefined },
    ]);
    expect(affinities[3].detail).toBe('session_affinity = HEADER_FIELD X-Session-Id');
    expect(affinities[5].evidence).toBe('session_affinity      = "CLIENT_IP"');
  });

  it('names the generated cookie GCILB on internal and regional load balancers', () => {
    const [internal, regional] = parseText(
      terraformParser,
      'gcp.tf',
      [
        'resource "google_compute_backend_service" "mesh" {',
        '  load_balancing_scheme = "INTERNAL_MANAGED"',
        '  session_affinity      = "GENERATED_COOKIE"',
        '  affinity_cookie_ttl_sec = 0',
        '}',
        'resource "google_compute_region_backend_service" "regional" {',
        '  session_affinity = "GENERATED_COOKIE"',
        '}',
      ].join('\n'),
    );
    expect(internal.cookie).toEqual({ name: 'GCILB', maxAgeSeconds: null, lifetimeText: 'affinity_cookie_ttl_sec = 0: a browser-session cookie' });
    expect(regional.cookie?.name).toBe('GCILB');
  });
});

describe('terraform parser: Azure', () => {
  it('finds cookie-based affinity and source-IP load distribution', () => {
    const affinities = parseFixture(terraformParser, 'fixtures/parsers/terraform/azure.tf');
    expect(summary(affinities)).toEqual([
      {
        line: 27,
        column: 5,
        mechanism: 'lb-cookie',
        pool: 'azurerm_application_gateway.network backend_http_settings local.http_setting_name',
        cookie: { name: 'ApplicationGatewayAffinity', maxAgeSeconds: null, lifetimeText: 'session cookie (Application Gateway sets no expiry)' },
      },
      {
        line: 36,
        column: 5,
        mechanism: 'lb-cookie',
        pool: 'azurerm_application_gateway.network backend_http_settings api-settings',
        cookie: { name: 'AppSession', maxAgeSeconds: null, lifetimeText: 'session cookie (Application Gateway sets no expiry)' },
      },
      { line: 59, column: 3, mechanism: 'client-ip', pool: 'azurerm_lb_rule.rdp', cookie: undefined },
    ]);
    expect(affinities[2].detail).toBe('load_distribution = SourceIP');
  });
});

describe('terraform parser: JSON syntax', () => {
  it('reads .tf.json with positions, resolving "${var.x}" against the variable default', () => {
    const affinities = parseFixture(terraformParser, 'fixtures/parsers/terraform/aws.tf.json');
    expect(summary(affinities)).toEqual([
      {
        line: 13,
        column: 9,
        mechanism: 'lb-cookie',
        pool: 'aws_lb_target_group.web',
        cookie: { name: 'AWSALB', maxAgeSeconds: 7200, lifetimeText: 'cookie_duration = 7200' },
      },
      { line: 30, column: 9, mechanism: 'client-ip', pool: 'google_compute_backend_service.default', cookie: undefined },
    ]);
    expect(affinities[0].evidence).toBe('"stickiness": {');
  });

  it('throws a located ParseError for broken JSON', () => {
    const error = parseErrorOfTf('{\n  "resource": {\n    "x": [1, 2\n}\n', 'main.tf.json');
    expect(error.file).toBe('main.tf.json');
    expect(error.line).toBeGreaterThan(0);
  });
});

describe('terraform parser: values', () => {
  const tf = (body: string) => parseText(terraformParser, 'main.tf', body);

  it('resolves variables and locals given in the same file', () => {
    const text = [
      'variable "sticky" {',
      '  default = false',
      '}',
      'locals {',
      '  distribution = "SourceIPProtocol"',
      '}',
      'resource "aws_lb_target_group" "a" {',
      '  stickiness {',
      '    enabled = var.sticky',
      '    type    = "lb_cookie"',
      '  }',
      '}',
      'resource "azurerm_lb_rule" "b" {',
      '  load_distribution = local.distribution',
      '}',
    ].join('\n');
    const affinities = tf(text);
    expect(affinities.map((a) => [a.pool, a.mechanism, a.detail])).toEqual([
      ['azurerm_lb_rule.b', 'client-ip', 'load_distribution = local.distribution (local.distribution is "SourceIPProtocol")'],
    ]);
  });

  it('reports a switch it cannot resolve, saying what it depends on', () => {
    const [affinity] = tf('resource "aws_lb_target_group" "a" {\n  stickiness {\n    enabled = var.sticky\n    type = "lb_cookie"\n  }\n}\n');
    expect(affinity.detail).toBe('stickiness lb_cookie (enabled = var.sticky: depends on var.sticky)');
    expect(affinity.location.line).toBe(3);
  });

  it('accepts strings for bools and numbers, as Terraform converts them', () => {
    const [affinity] = tf('resource "aws_lb_target_group" "a" {\n  stickiness {\n    enabled = "true"\n    type = "lb_cookie"\n    cookie_duration = "120"\n  }\n}\n');
    expect(affinity.cookie?.maxAgeSeconds).toBe(120);
    expect(tf('resource "aws_lb_target_group" "a" {\n  stickiness {\n    enabled = "false"\n    type = "lb_cookie"\n  }\n}\n')).toEqual([]);
  });

  it('guesses the stickiness type from the protocol when type is not a literal', () => {
    const [affinity] = tf('resource "aws_lb_target_group" "a" {\n  protocol = "TCP"\n  stickiness {\n    type = var.type\n  }\n}\n');
    expect(affinity.mechanism).toBe('client-ip');
    expect(affinity.detail).toBe('stickiness source_ip (type = var.type)');
  });

  it('reads old-style "${...}" interpolation as the reference inside', () => {
    const text = 'variable "on" {\n  default = "false"\n}\nresource "aws_lb_target_group" "a" {\n  stickiness {\n    enabled = "${var.on}"\n    type = "lb_cookie"\n  }\n}\n';
    expect(tf(text)).toEqual([]);
  });
});

describe('terraform parser: negatives', () => {
  it('produces nothing for disabled, commented-out, default and non-affinity settings', () => {
    const text = [
      'resource "aws_lb_target_group" "off" {',
      '  stickiness {',
      '    enabled = false',
      '    type    = "lb_cookie"',
      '  }',
      '}',
      '# resource "aws_lb_cookie_stickiness_policy" "old" {',
      '#   load_balancer = aws_elb.lb.id',
      '# }',
      '/* resource "aws_app_cookie_stickiness_policy" "old" {',
      '  cookie_name = "SID"',
      '} */',
      '// resource "azurerm_lb_rule" "old" { load_distribution = "SourceIP" }',
      'resource "google_compute_backend_service" "none" {',
      '  session_affinity = "NONE"',
      '}',
      'resource "google_compute_backend_service" "unset" {',
      '  name = "x"',
      '}',
      'resource "azurerm_lb_rule" "default" {',
      '  load_distribution = "Default"',
      '}',
      'resource "azurerm_application_gateway" "gw" {',
      '  backend_http_settings {',
      '    cookie_based_affinity = "Disabled"',
      '  }',
      '}',
      'resource "aws_lb_listener" "l" {',
      '  default_action {',
      '    forward {',
      '      stickiness {',
      '        enabled  = false',
      '        duration = 600',
      '      }',
      '    }',
      '  }',
      '}',
      'resource "aws_lb_target_group" "dyn" {',
      '  dynamic "stickiness" {',
      '    for_each = []',
      '    content {',
      '      type = "lb_cookie"',
      '    }',
      '  }',
      '}',
      'locals {',
      '  doc = <<EOT',
      'resource "aws_lb_cookie_stickiness_policy" "in_heredoc" {',
      '}',
      'EOT',
      '  str = "stickiness { type = \\"lb_cookie\\" }"',
      '}',
      'module "alb" {',
      '  source = "terraform-aws-modules/alb/aws"',
      '  target_groups = { web = { stickiness = { enabled = true, type = "lb_cookie" } } }',
      '}',
    ].join('\n');
    expect(parseText(terraformParser, 'main.tf', text)).toEqual([]);
  });
});

describe('terraform parser: detection', () => {
  it('claims .tf, .tofu and .tf.json files only', () => {
    expect(detects(terraformParser, 'main.tf', 'resource "x" "y" {}\n')).toBe(true);
    expect(detects(terraformParser, 'infra/variables.tf', '')).toBe(true);
    expect(detects(terraformParser, 'main.tofu', '')).toBe(true);
    expect(detects(terraformParser, 'main.tf.json', '{ "resource": {} }')).toBe(true);
    expect(detects(terraformParser, 'main.tf.json', 'not json')).toBe(false);
    expect(detects(terraformParser, 'package.json', '{ "name": "x" }')).toBe(false);
    expect(detects(terraformParser, 'terraform.tfvars', 'sticky = true\n')).toBe(false);
    expect(detects(terraformParser, 'nginx.conf', 'upstream a { ip_hash; }\n')).toBe(false);
    expect(detects(terraformParser, 'template.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\n')).toBe(false);
  });
});

describe('terraform parser: syntax errors', () => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['unterminated string', 'resource "a" "b" {\n  name = "web\n}\n', 2, 10, /unterminated string/],
    ['unterminated heredoc', 'locals {\n  doc = <<EOT\n  text\n}\n', 2, 9, /unterminated heredoc: no closing "EOT" line/],
    ['unterminated block', 'resource "a" "b" {\n  stickiness {\n    type = "lb_cookie"\n  }\n', 1, 18, /unterminated block "resource"/],
    ['unexpected "}"', 'resource "a" "b" {\n}\n}\n', 3, 1, /unexpected "}"/],
    ['two arguments on a line', 'resource "a" "b" {\n  stickiness { enabled = true type = "lb_cookie" }\n}\n', 2, 31, /unexpected "type" after argument "enabled", expected a newline/],
    ['missing value', 'resource "a" "b" {\n  name =\n}\n', 2, 9, /expected an expression, found newline/],
    ['mismatched bracket', 'locals {\n  list = [1, 2}\n}\n', 2, 15, /unexpected "}", expected "]"/],
    ['unclosed call', 'locals {\n  x = max(1,\n', 2, 10, /unclosed "\(": missing "\)"/],
    ['unterminated template', 'locals {\n  x = "${var.a\n}\n', 2, 7, /unterminated string/],
    ['template open at end of file', 'locals {\n  x = "${var.a', 2, 8, /unterminated template: "\$\{" is never closed/],
    ['bad escape', 'locals {\n  x = "a\\qb"\n}\n', 2, 9, /invalid escape "\\q"/],
    ['block without braces', 'resource "a" "b"\n', 1, 17, /expected "=" or "{"/],
    ['stray character', 'locals {\n  x = 1 @\n}\n', 2, 9, /unexpected character "@"/],
    ['unterminated comment', 'locals {\n  /* x\n', 2, 3, /unterminated comment/],
  ];
  for (const [name, text, line, column, message] of cases) {
    it(name, () => {
      const error = parseErrorOfTf(text);
      expect({ file: error.file, line: error.line, column: error.column }).toEqual({ file: 'broken.tf', line, column });
      expect(error.message).toMatch(message);
    });
  }
});

describe('hcl reader', () => {
  it('keeps one-line blocks, dynamic blocks, heredocs and complex expressions apart', () => {
    const body = parseHcl(
      [
        'a = { x = "}" }',
        'b = <<-EOT',
        '    { not a block',
        '    EOT',
        'c = [for s in var.l : "${s}-${upper(s)}" if s != ""]',
        'd = var.on ? 1 : 0',
        'e = provider::aws::arn_parse(x).region',
        'f = -1.5e3',
        'g = aws_instance.web[*].id',
        'stickiness { enabled = true }',
        'dynamic "stickiness" {',
        '  content {',
        '    type = "lb_cookie"',
        '  }',
        '}',
      ].join('\n'),
      'x.tf',
    );
    expect(body.attributes.map((a) => [a.name, a.value])).toEqual([
      ['a', { kind: 'expr', text: '{ x = "}" }' }],
      ['b', { kind: 'string', value: '{ not a block\n' }],
      ['c', { kind: 'expr', text: '[for s in var.l : "${s}-${upper(s)}" if s != ""]' }],
      ['d', { kind: 'expr', text: 'var.on ? 1 : 0' }],
      ['e', { kind: 'expr', text: 'provider::aws::arn_parse(x).region' }],
      ['f', { kind: 'number', value: -1500 }],
      ['g', { kind: 'expr', text: 'aws_instance.web[*].id' }],
    ]);
    expect(body.blocks.map((b) => [b.type, b.labels, b.line])).toEqual([
      ['stickiness', [], 10],
      ['dynamic', ['stickiness'], 11],
    ]);
    expect(body.blocks[0].body.attributes[0]).toEqual({ name: 'enabled', value: { kind: 'bool', value: true }, line: 10, column: 14 });
  });

  it('never throws anything but ParseError on mangled input', () => {
    const source = readFileSync(path.join(repoRoot, 'fixtures/parsers/terraform/aws.tf'), 'utf8');
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 300; round++) {
      const at = Math.floor(random() * source.length);
      const variants = [source.slice(0, at), source.slice(0, at) + source.slice(at + 1 + Math.floor(random() * 20)), source.slice(0, at) + '{"}<<'[round % 5] + source.slice(at)];
      for (const text of variants) {
        try {
          parseText(terraformParser, 'fuzz.tf', text);
        } catch (error) {
          expect(error).toBeInstanceOf(ParseError);
        }
      }
    }
  });
});
