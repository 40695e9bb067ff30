import type { CfnElement } from 'aws-cdk-lib';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ConsoleSite, consoleSettingsFrom, ROUTING_FUNCTION, type ConsoleSiteProps } from '../../infra/constructs/console-site';
import { synthesize, type Synthesized } from './synth';

/*
 * The supervision console as deployed: a private bucket behind CloudFront with origin access
 * control, HTTPS only, security headers, logs, and config.json written with the API's URL.
 */
const API_URL = 'https://abc123.execute-api.ap-east-1.amazonaws.com/';

function fakeBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'console-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/console/assets/index-abc.js"></script>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  return dir;
}

function siteOf(props: Partial<ConsoleSiteProps> = {}, context: Record<string, unknown> = {}) {
  const app = new App({ context });
  const host = new Stack(app, 'Host', { env: { region: 'ap-east-1', account: '111122223333' } });
  const site = new ConsoleSite(host, 'Console', { apiUrl: API_URL, removalPolicy: RemovalPolicy.DESTROY, ...props });
  return { host, site, template: Template.fromStack(site) };
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the console site', () => {
  const distDir = fakeBuild();
  dirs.push(distDir);
  const { site, template } = siteOf({ distDir });

  test('keeps its files in a private, encrypted bucket that refuses plain HTTP and logs access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^Logs') }, LogFilePrefix: 'console-bucket/' },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies.length).toBe(2); // the files bucket and the log bucket
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      );
    }
  });

  test('is read only by its distribution, through origin access control', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^Files') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: [Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [Match.anyValue(), 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } })],
      },
    });
  });

  test('serves HTTPS only, with logs, security headers and the routing function', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          Compress: true,
          ResponseHeadersPolicyId: { Ref: Match.stringLikeRegexp('^SecurityHeaders') },
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: Match.anyValue() }],
        }),
        Logging: { Bucket: Match.anyValue(), Prefix: 'cloudfront/' },
        HttpVersion: 'http2and3',
      },
    });
    const headers = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0].Properties.ResponseHeadersPolicyConfig
      .SecurityHeadersConfig;
    expect(headers).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer' },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 730 * 86400, IncludeSubdomains: true },
    });
    const csp = JSON.stringify(site.resolve(headers.ContentSecurityPolicy.ContentSecurityPolicy));
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  test('deploys the hashed assets for a year and index.html and config.json uncached, under console/', () => {
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(2);
    const byCache = new Map(deployments.map((d) => [JSON.stringify(d.Properties.SystemMetadata), d.Properties]));
    expect([...byCache.keys()].sort()).toEqual(['{"cache-control":"no-cache"}', '{"cache-control":"public, max-age=31536000, immutable"}']);
    for (const properties of byCache.values()) {
      expect(properties.DestinationBucketKeyPrefix).toBe('console/');
      expect(properties.Prune).toBe(false);
    }
    const shell = byCache.get('{"cache-control":"no-cache"}')!;
    expect(shell.SourceObjectKeys).toHaveLength(2); // index.html, config.json
    expect(shell.DistributionPaths).toEqual(['/console/*']);
  });

  test('writes config.json with the API URL, and asks for a token without a sign-in service', () => {
    expect(site.resolve(site.config)).toEqual({ apiBaseUrl: API_URL, refreshSeconds: 5, auth: { mode: 'token' } });
  });

  test('routes / to the console and the console’s pages to its index.html', () => {
    const handler = new Function(`${ROUTING_FUNCTION}; return handler;`)() as (event: unknown) => any;
    const request = (uri: string) => ({ request: { uri, headers: {} } });
    expect(handler(request('/'))).toMatchObject({ statusCode: 302, headers: { location: { value: '/console/' } } });
    expect(handler(request('/console'))).toMatchObject({ statusCode: 302 });
    expect(handler(request('/console/')).uri).toBe('/console/index.html');
    expect(handler(request('/console/cases/01KK81QAM0GWYYQSNYW8ECSZKD')).uri).toBe('/console/index.html');
    expect(handler(request('/console/reports/2026-03')).uri).toBe('/console/index.html');
    expect(handler(request('/console/assets/index-abc.js')).uri).toBe('/console/assets/index-abc.js');
    expect(handler(request('/console/config.json')).uri).toBe('/console/config.json');
    // The citizens' status page at the root, as printed on a receipt.
    expect(handler(request('/track')).uri).toBe('/console/index.html');
    expect(handler(request('/track/ABCD-EFGH-J')).uri).toBe('/console/index.html');
    expect(handler(request('/track/a/b')).uri).toBe('/track/a/b');
  });
});

describe('the console site with a Cognito sign-in and a web ACL', () => {
  const distDir = fakeBuild();
  dirs.push(distDir);
  const context = {
    consoleAuthDomain: 'https://yichang.auth.ap-east-1.amazoncognito.com',
    consoleAuthClientId: '1example23456789',
    consoleWebAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/console/abcd',
  };
  const app = new App({ context });
  const host = new Stack(app, 'Host');
  const site = new ConsoleSite(host, 'Console', { apiUrl: API_URL, removalPolicy: RemovalPolicy.RETAIN, distDir, ...consoleSettingsFrom(host.node) });
  const template = Template.fromStack(site);

  test('tells the console the hosted UI and client, and lets it call them', () => {
    expect(site.resolve(site.config)).toMatchObject({
      auth: { mode: 'cognito', domain: context.consoleAuthDomain, clientId: context.consoleAuthClientId, tokenUse: 'access' },
    });
    const csp = JSON.stringify(
      site.resolve(
        Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0].Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig
          .ContentSecurityPolicy.ContentSecurityPolicy,
      ),
    );
    expect(csp).toContain(context.consoleAuthDomain);
  });

  test('puts the web ACL in front of the distribution', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: { WebACLId: context.consoleWebAclArn } });
  });

  test('keeps its logs when the stage retains data', () => {
    const logs = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('Logs'))!;
    expect(logs[1].DeletionPolicy).toBe('Retain');
  });
});

describe('console settings from context', () => {
  const settings = (context: Record<string, unknown>) => consoleSettingsFrom(new App({ context }).node);

  test('need the hosted-UI domain and the client id together', () => {
    expect(() => settings({ consoleAuthDomain: 'https://x.auth.ap-east-1.amazoncognito.com' })).toThrow(/together/);
    expect(() => settings({ consoleAuthDomain: 'http://x.example', consoleAuthClientId: 'abc' })).toThrow(/https origin/);
    expect(() => settings({ consoleAuthDomain: 'https://x.example', consoleAuthClientId: 'abc', consoleAuthTokenUse: 'refresh' })).toThrow(/access or id/);
    expect(() => settings({ consoleWebAclArn: 'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/x/y' })).toThrow(/global/);
    expect(settings({})).toEqual({});
  });
});

describe('the console in the app', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize();
  });
  afterAll(() => synthesized?.dispose());

  test('is a nested stack of the main stack, given the API URL', () => {
    // Three nested stacks: the console's, the units' email subscriptions and the alarms.
    synthesized.template.resourceCountIs('AWS::CloudFormation::Stack', 3);
    expect(synthesized.template.findResources('AWS::CloudFormation::Stack')).toHaveProperty([synthesized.stack.getLogicalId(synthesized.stack.consoleSite!.nestedStackResource! as CfnElement)]);
    const console = Template.fromStack(synthesized.stack.consoleSite!);
    console.resourceCountIs('AWS::CloudFront::Distribution', 1);
    expect(Object.keys(console.toJSON().Outputs)).toContain('ConsoleUrl');
    expect(JSON.stringify(synthesized.stack.resolve(synthesized.stack.consoleSite!.config))).toContain(
      synthesized.logicalId(synthesized.stack.httpApi.api),
    );
  });

  test('synthesizes without a built console, deploying config.json only', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'console-empty-'));
    dirs.push(empty);
    const { template } = siteOf({ distDir: empty });
    const deployments = Object.values(template.findResources('Custom::CDKBucketDeployment'));
    expect(deployments).toHaveLength(1);
    expect(deployments[0].Properties.SourceObjectKeys).toHaveLength(1);
  });
});
