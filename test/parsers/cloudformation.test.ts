import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import type { Affinity } from '../../src/model/index.js';
import { cloudformationParser } from '../../src/parsers/cloudformation.js';
import { detects, parseFixture, parseText, repoRoot } from '../support/parse.js';

const summary = (affinities: Affinity[]) =>
  affinities.map((a) => ({ line: a.location.line, column: a.location.column, mechanism: a.mechanism, pool: a.pool, cookie: a.cookie }));

const template = (resources: string, extra = '') =>
  `AWSTemplateFormatVersion: "2010-09-09"\n${extra}Resources:\n${resources}`;

const targetGroup = (attributes: string, properties = '      Protocol: HTTP\n') =>
  template(`  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n${properties}      TargetGroupAttributes:\n${attributes}`);

describe('cloudformation parser: target groups (YAML)', () => {
  const affinities = parseFixture(cloudformationParser, 'fixtures/parsers/cloudformation/alb.yaml');

  it('finds each target group and listener with stickiness on, at the stickiness.enabled key', () => {
    expect(summary(affinities)).toEqual([
      {
        line: 32,
        column: 11,
        mechanism: 'lb-cookie',
        pool: 'AWS::ElasticLoadBalancingV2::TargetGroup WebTargetGroup',
        cookie: { name: 'AWSALB', maxAgeSeconds: 604800, lifetimeText: 'stickiness.lb_cookie.duration_seconds = 604800' },
      },
      {
        line: 47,
        column: 12,
        mechanism: 'app-cookie',
        pool: 'AWS::ElasticLoadBalancingV2::TargetGroup ApiTargetGroup',
        cookie: { name: 'JSESSIONID', maxAgeSeconds: 3600, lifetimeText: 'stickiness.app_cookie.duration_seconds = 3600' },
      },
      { line: 59, column: 11, mechanism: 'client-ip', pool: 'AWS::ElasticLoadBalancingV2::TargetGroup SocketTargetGroup', cookie: undefined },
      {
        line: 69,
        column: 11,
        mechanism: 'lb-cookie',
        pool: 'AWS::ElasticLoadBalancingV2::TargetGroup ToggledTargetGroup',
        cookie: { name: 'AWSALB', maxAgeSeconds: 86400, lifetimeText: 'stickiness.lb_cookie.duration_seconds not set: 86400 s (1 day) by default' },
      },
      {
        line: 79,
        column: 11,
        mechanism: 'lb-cookie',
        pool: 'AWS::ElasticLoadBalancingV2::TargetGroup ProdOnlyTargetGroup',
        cookie: { name: 'AWSALB', maxAgeSeconds: 86400, lifetimeText: 'stickiness.lb_cookie.duration_seconds not set: 86400 s (1 day) by default' },
      },
      {
        line: 111,
        column: 15,
        mechanism: 'lb-cookie',
        pool: 'AWS::ElasticLoadBalancingV2::Listener HttpListener',
        cookie: { name: 'AWSALBTG', maxAgeSeconds: 900, lifetimeText: 'DurationSeconds = 900' },
      },
    ]);
  });

  it('says in the detail where a value came from', () => {
    expect(affinities.map((a) => a.detail)).toEqual([
      'stickiness lb_cookie',
      'stickiness app_cookie JSESSIONID',
      'stickiness source_ip (no stickiness.type: the default for its protocol)',
      'stickiness lb_cookie (stickiness.enabled from parameter StickySessions (Default "true"); no stickiness.type: the default for its protocol)',
      'stickiness lb_cookie (stickiness.enabled depends on condition IsProd; no stickiness.type: the default for its protocol)',
      'ForwardConfig TargetGroupStickinessConfig',
    ]);
  });

  it('takes the evidence from the source line', () => {
    expect(affinities[0].evidence).toBe('- Key: stickiness.enabled');
    expect(affinities[1].evidence).toBe('- {Key: stickiness.enabled, Value: true}');
    expect(affinities[5].evidence).toBe('Enabled: true');
    expect(affinities.every((a) => a.format === 'cloudformation' && a.location.file === 'fixtures/parsers/cloudformation/alb.yaml')).toBe(true);
  });

  it('leaves the cookie flags undefined: the ALB cookies cannot be configured', () => {
    for (const a of affinities) {
      expect(a.cookie?.secure).toBeUndefined();
      expect(a.cookie?.httpOnly).toBeUndefined();
    }
  });
});

describe('cloudformation parser: classic ELB and JSON', () => {
  const affinities = parseFixture(cloudformationParser, 'fixtures/parsers/cloudformation/classic-elb.json');

  it('finds LB and app cookie policies, saying whether a listener uses them', () => {
    expect(summary(affinities)).toEqual([
      {
        line: 10,
        column: 13,
        mechanism: 'lb-cookie',
        pool: 'AWS::ElasticLoadBalancing::LoadBalancer MyLoadBalancer',
        cookie: { name: 'AWSELB', maxAgeSeconds: 180, lifetimeText: 'CookieExpirationPeriod = 180' },
      },
      {
        line: 11,
        column: 13,
        mechanism: 'lb-cookie',
        pool: 'AWS::ElasticLoadBalancing::LoadBalancer MyLoadBalancer',
        cookie: { name: 'AWSELB', maxAgeSeconds: null, lifetimeText: 'no CookieExpirationPeriod: lasts for the browser session' },
      },
      {
        line: 14,
        column: 13,
        mechanism: 'app-cookie',
        pool: 'AWS::ElasticLoadBalancing::LoadBalancer MyLoadBalancer',
        cookie: { name: 'JSESSIONID', lifetimeText: 'follows the application cookie' },
      },
      {
        line: 46,
        column: 13,
        mechanism: 'lb-cookie',
        pool: 'AWS::ElasticLoadBalancingV2::TargetGroup JsonTargetGroup',
        cookie: { name: 'AWSALB', maxAgeSeconds: 86400, lifetimeText: 'stickiness.lb_cookie.duration_seconds not set: 86400 s (1 day) by default' },
      },
    ]);
    expect(affinities.map((a) => a.detail.split(' (')[1])).toEqual([
      'used by listener port 80)',
      "not in any listener's PolicyNames)",
      'used by listener port 8080)',
      'stickiness.enabled depends on condition IsProd; no stickiness.type: the default for its protocol)',
    ]);
  });

  it('reads SAM templates without AWSTemplateFormatVersion', () => {
    const [affinity] = parseFixture(cloudformationParser, 'fixtures/parsers/cloudformation/sam.yaml');
    expect(summary([affinity])).toEqual([
      { line: 19, column: 11, mechanism: 'client-ip', pool: 'AWS::ElasticLoadBalancingV2::TargetGroup FunctionTargetGroup', cookie: undefined },
    ]);
  });
});

describe('cloudformation parser: values', () => {
  const cfn = (text: string) => parseText(cloudformationParser, 'template.yaml', text);

  it('accepts YAML booleans and strings for stickiness.enabled', () => {
    expect(cfn(targetGroup('        - Key: stickiness.enabled\n          Value: true\n'))).toHaveLength(1);
    expect(cfn(targetGroup('        - Key: stickiness.enabled\n          Value: "TRUE"\n'))).toHaveLength(1);
    expect(cfn(targetGroup('        - Key: stickiness.enabled\n          Value: false\n'))).toEqual([]);
  });

  it('follows !Ref and { Ref } to a parameter Default', () => {
    const parameters = 'Parameters:\n  Sticky:\n    Type: String\n    Default: "false"\n  Open:\n    Type: String\n';
    const resources = (value: string) =>
      template(
        `  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      TargetGroupAttributes:\n        - Key: stickiness.enabled\n          Value: ${value}\n`,
        parameters,
      );
    expect(cfn(resources('!Ref Sticky'))).toEqual([]);
    expect(cfn(resources('{ Ref: Sticky }'))).toEqual([]);
    const [open] = cfn(resources('!Ref Open'));
    expect(open.detail).toBe('stickiness lb_cookie (stickiness.enabled from parameter Open (no Default); no stickiness.type: the default for its protocol)');
    expect(cfn(resources('!If [IsProd, "false", "false"]'))).toEqual([]);
    expect(cfn(resources('!If [IsProd, !Ref Sticky, "false"]'))).toEqual([]);
    expect(cfn(resources('!If [IsProd, "true", !Ref AWS::NoValue]'))).toHaveLength(1);
  });

  it('reads durations and cookie names given by parameters', () => {
    const text = template(
      '  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n    Properties:\n      TargetGroupAttributes:\n' +
        '        - { Key: stickiness.enabled, Value: "true" }\n' +
        '        - { Key: stickiness.type, Value: app_cookie }\n' +
        '        - { Key: stickiness.app_cookie.cookie_name, Value: !Ref CookieName }\n' +
        '        - { Key: stickiness.app_cookie.duration_seconds, Value: !Ref Duration }\n',
      'Parameters:\n  CookieName:\n    Type: String\n    Default: SESSION\n  Duration:\n    Type: Number\n    Default: 172800\n',
    );
    const [affinity] = cfn(text);
    expect(affinity.mechanism).toBe('app-cookie');
    expect(affinity.cookie).toEqual({
      name: 'SESSION',
      maxAgeSeconds: 172800,
      lifetimeText: 'stickiness.app_cookie.duration_seconds = !Ref Duration (from parameter Duration (Default 172800))',
    });
  });

  it('treats CookieExpirationPeriod 0 as a browser-session cookie', () => {
    const text = template(
      '  Elb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      LBCookieStickinessPolicy:\n        - PolicyName: p\n          CookieExpirationPeriod: "0"\n',
    );
    expect(cfn(text)[0].cookie?.maxAgeSeconds).toBeNull();
  });
});

describe('cloudformation parser: negatives', () => {
  it('produces nothing for disabled, commented-out, default and unrelated settings', () => {
    const text = template(
      [
        '  Off:',
        '    Type: AWS::ElasticLoadBalancingV2::TargetGroup',
        '    Properties:',
        '      TargetGroupAttributes:',
        '        - Key: stickiness.enabled',
        '          Value: "false"',
        '        - Key: stickiness.type',
        '          Value: lb_cookie',
        '        # - Key: stickiness.enabled',
        '        #   Value: "true"',
        '  Unset:',
        '    Type: AWS::ElasticLoadBalancingV2::TargetGroup',
        '    Properties:',
        '      TargetGroupAttributes:',
        '        - Key: stickiness.type',
        '          Value: lb_cookie',
        '        - Key: deregistration_delay.timeout_seconds',
        '          Value: "30"',
        '  Plain:',
        '    Type: AWS::ElasticLoadBalancingV2::TargetGroup',
        '    Properties:',
        '      Port: 80',
        '  Listener:',
        '    Type: AWS::ElasticLoadBalancingV2::Listener',
        '    Properties:',
        '      DefaultActions:',
        '        - Type: forward',
        '          ForwardConfig:',
        '            TargetGroupStickinessConfig:',
        '              Enabled: false',
        '  Bucket:',
        '    Type: AWS::S3::Bucket',
        '    Properties:',
        '      Tags:',
        '        - Key: stickiness.enabled',
        '          Value: "true"',
      ].join('\n') + '\n',
    );
    expect(parseText(cloudformationParser, 'template.yaml', text)).toEqual([]);
  });
});

describe('cloudformation parser: detection', () => {
  it('claims templates by AWSTemplateFormatVersion or AWS:: resource types, YAML or JSON', () => {
    expect(detects(cloudformationParser, 'template.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources: {}\n')).toBe(true);
    expect(detects(cloudformationParser, 'stack.template', '{ "AWSTemplateFormatVersion": "2010-09-09" }')).toBe(true);
    expect(detects(cloudformationParser, 'stack.json', '{\n  "Resources": {\n    "B": { "Type": "AWS::S3::Bucket" }\n  }\n}\n')).toBe(true);
    expect(detects(cloudformationParser, 'sam.yml', 'Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n')).toBe(true);
  });

  it('leaves other YAML and JSON alone', () => {
    expect(detects(cloudformationParser, 'deploy.yaml', 'apiVersion: v1\nkind: Service\nspec:\n  sessionAffinity: ClientIP\n')).toBe(false);
    expect(detects(cloudformationParser, 'docker-compose.yml', 'services:\n  web:\n    image: nginx\n    deploy:\n      resources: {}\n')).toBe(false);
    expect(detects(cloudformationParser, 'package.json', '{ "name": "x", "version": "1.0.0" }')).toBe(false);
    expect(detects(cloudformationParser, 'main.tf.json', '{ "Resources": { "B": { "Type": "AWS::S3::Bucket" } } }')).toBe(false);
    expect(detects(cloudformationParser, 'main.tf', 'AWSTemplateFormatVersion')).toBe(false);
  });
});

describe('cloudformation parser: syntax errors', () => {
  it('throws a located ParseError for broken YAML', () => {
    try {
      parseText(cloudformationParser, 'template.yaml', 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Tg:\n    Type: "AWS::ElasticLoadBalancingV2::TargetGroup\n');
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).file).toBe('template.yaml');
      expect((error as ParseError).line).toBeGreaterThanOrEqual(4); // the YAML reader points at the string's open end
    }
  });

  it('throws a located ParseError for broken JSON', () => {
    try {
      parseText(cloudformationParser, 'template.json', '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Tg": { "Type": ["a", "b" }\n  }\n}\n');
      throw new Error('no error');
    } catch (error) {
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).line).toBe(4);
    }
  });

  it('never throws anything but ParseError on mangled input', () => {
    for (const fixture of ['alb.yaml', 'classic-elb.json']) {
      const source = readFileSync(path.join(repoRoot, 'fixtures/parsers/cloudformation', fixture), 'utf8');
      for (let at = 0; at < source.length; at += 151) {
        for (const text of [source.slice(0, at), source.slice(0, at) + source.slice(at + 9), `${source.slice(0, at)}: !If [\n${source.slice(at)}`]) {
          try {
            parseText(cloudformationParser, fixture, text);
          } catch (error) {
            expect(error).toBeInstanceOf(ParseError);
          }
        }
      }
    }
  });
});
