import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations, CfnOutput, Duration, Fn, NestedStack, type NestedStackProps, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

const REPO_ROOT = path.join(__dirname, '..', '..');
/** Where `npm run console:build` writes the console. */
export const CONSOLE_DIST_DIR = path.join(REPO_ROOT, 'console', 'dist');
/** The console lives under this path, as on the local stack (its build's base is /console/). */
export const CONSOLE_PREFIX = 'console';

/** Cognito hosted UI for the console's sign-in (authorization code with PKCE). */
export interface ConsoleSignIn {
  /** https://<domain>.auth.<region>.amazoncognito.com, or the pool's custom domain. */
  readonly domain: string;
  readonly clientId: string;
  readonly scopes?: readonly string[];
  /** Which token the API's JWT authorizer accepts (its audience check differs). Default: access. */
  readonly tokenUse?: 'access' | 'id';
}

export interface ConsoleSiteProps extends NestedStackProps {
  /** Base URL of the HTTP API the console calls (written into its config.json). */
  readonly apiUrl: string;
  readonly removalPolicy: RemovalPolicy;
  /** Without it the console asks for a pasted token. */
  readonly signIn?: ConsoleSignIn;
  /** The built console; when the folder has no index.html only config.json is deployed. */
  readonly distDir?: string;
  /** How often the console's pages poll the API, in seconds. */
  readonly refreshSeconds?: number;
  /** A WAF web ACL (scope CLOUDFRONT, made in us-east-1) to put in front of the console. */
  readonly webAclArn?: string;
}

/**
 * Viewer-request function: `/` goes to the console, and the console's own routes
 * (/console/cases/…, paths without a file extension) are answered with its index.html,
 * so a bookmarked page loads. The citizens' status page is also at the root, /track and
 * /track/<code> (the address printed on a receipt): they get the same index.html, whose
 * router shows the public page there. Files are served as they are.
 */
export const ROUTING_FUNCTION = `
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (/^\\/track(\\/[^\\/]*)?$/.test(uri)) {
    request.uri = '/${CONSOLE_PREFIX}/index.html';
    return request;
  }
  if (uri === '/' || uri === '/${CONSOLE_PREFIX}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/${CONSOLE_PREFIX}/' } } };
  }
  if (uri.indexOf('/${CONSOLE_PREFIX}/') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '/${CONSOLE_PREFIX}/index.html';
  }
  return request;
}
`;

/** The origin part of a URL token or string: https://host (CSP connect-src and CORS want origins). */
const originOf = (url: string): string => Fn.join('', ['https://', Fn.select(2, Fn.split('/', url))]);

/**
 * The supervision console as a static site: a private, encrypted S3 bucket read only by
 * CloudFront through origin access control, served over HTTPS with strict security headers,
 * and a config.json written at deployment with the API's URL and the sign-in settings.
 *
 * It is a nested stack of its own: the files are copied by CDK's BucketDeployment helpers
 * (Lambda functions and roles that aws-cdk-lib writes), which stay out of the main template,
 * where every function and role is the project's own.
 */
export class ConsoleSite extends NestedStack {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  /** https://<distribution domain>/console/ */
  readonly url: string;
  /** https://<distribution domain>: what the API's CORS must allow (context consoleOrigin). */
  readonly origin: string;
  /** What config.json says, as deployed (tokens resolve at deploy time). */
  readonly config: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id, { description: 'Linked resolution supervision console (static site)', ...props });
    const distDir = props.distDir ?? CONSOLE_DIST_DIR;
    const built = existsSync(path.join(distDir, 'index.html'));
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;

    // Access logs of the bucket and of the distribution. CloudFront's standard logs are written
    // with object ACLs, so this bucket keeps ACLs for the log writer (and nothing is public).
    this.logBucket = new Bucket(this, 'Logs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the log bucket of the console bucket and distribution; logging it into itself would loop.',
    });

    // The console is build output (rebuilt from the repository), so its bucket goes with the stack.
    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'console-bucket/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const apiOrigin = originOf(props.apiUrl);
    const connectSources = ["'self'", apiOrigin, ...(props.signIn ? [props.signIn.domain.replace(/\/+$/, '')] : [])];
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Supervision console: same-origin scripts only, calls to the API and the sign-in service',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          override: true,
          contentSecurityPolicy: Fn.join('; ', [
            "default-src 'self'",
            "img-src 'self' data: blob:",
            "style-src 'self'",
            Fn.join(' ', ['connect-src', ...connectSources]),
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
          ]),
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
      },
    });

    const routing = new CloudFrontFunction(this, 'Routing', {
      comment: 'Console routes to index.html; / to /console/',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(ROUTING_FUNCTION),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Linked resolution supervision console',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: [{ function: routing, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; ' +
        'viewers are redirected to HTTPS. A custom domain with its own certificate would set TLSv1.2_2021.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'The console is a static shell with no data in it; every case is read through the API with a signed ' +
        'token. Officers on duty travel, so access is governed by sign-in rather than by country.',
    });
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'Only static files are served here (the API has its own throttling and JWT authorizer). A CloudFront ' +
          'web ACL must live in us-east-1: pass its ARN as context consoleWebAclArn to attach one.',
      });
    }

    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/${CONSOLE_PREFIX}/`;
    this.config = {
      apiBaseUrl: props.apiUrl,
      refreshSeconds: props.refreshSeconds ?? 5,
      auth: props.signIn
        ? {
            mode: 'cognito',
            domain: props.signIn.domain.replace(/\/+$/, ''),
            clientId: props.signIn.clientId,
            scopes: [...(props.signIn.scopes ?? ['openid', 'email', 'profile'])],
            tokenUse: props.signIn.tokenUse ?? 'access',
          }
        : { mode: 'token' },
    };

    // Hashed assets first, cached for a year; then index.html and config.json, never cached,
    // so a new index.html never points at assets that are not there yet.
    const destinationKeyPrefix = `${CONSOLE_PREFIX}/`;
    let assets: BucketDeployment | undefined;
    if (built) {
      assets = new BucketDeployment(this, 'DeployAssets', {
        sources: [Source.asset(distDir, { exclude: ['index.html', 'config.json'] })],
        destinationBucket: this.bucket,
        destinationKeyPrefix,
        cacheControl: [CacheControl.fromString('public, max-age=31536000, immutable')],
        prune: false,
      });
    } else {
      Annotations.of(this).addInfo(`${distDir} has no index.html: only config.json is deployed. Run npm run console:build first.`);
    }
    const shell = new BucketDeployment(this, 'DeployShell', {
      sources: [
        ...(built ? [Source.asset(distDir, { exclude: ['*', '!index.html'] })] : []),
        Source.jsonData('config.json', this.config),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix,
      cacheControl: [CacheControl.noCache()],
      prune: false,
      distribution: this.distribution,
      distributionPaths: [`/${CONSOLE_PREFIX}/*`],
    });
    if (assets) shell.node.addDependency(assets);
    new CfnOutput(this, 'ConsoleUrl', { value: this.url, description: 'The supervision console' });

    this.acknowledgeDeploymentHelpers();
  }

  /**
   * BucketDeployment and autoDeleteObjects run CDK's own helper functions (one per stack);
   * their code and roles are CDK's, not this project's.
   */
  private acknowledgeDeploymentHelpers(): void {
    const stack = Stack.of(this);
    const helpers = stack.node.children.filter((child) =>
      /^Custom::(CDKBucketDeployment|S3AutoDeleteObjectsCustomResourceProvider)/.test(child.node.id),
    );
    for (const helper of helpers) {
      Validations.of(helper).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's deployment helpers write their logs with the basic execution role; they hold no case data.",
      });
      Validations.of(helper).acknowledge({
        id: 'AwsSolutions-L1',
        reason: "The runtime of CDK's own deployment helpers is chosen by aws-cdk-lib, which upgrades it.",
      });
    }
    // The deployment helper's role: read the CDK asset bucket, write the console bucket, invalidate.
    const qualifier = (this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? 'hnb659fds';
    const consoleBucket = stack.getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    const wildcards: Array<[string, string]> = [
      ['Action::s3:GetBucket*', 'reads the build from the CDK asset bucket and lists the console bucket'],
      ['Action::s3:GetObject*', 'reads the build from the CDK asset bucket'],
      ['Action::s3:List*', 'lists the objects it copies'],
      ['Action::s3:Abort*', 'aborts its own failed multipart uploads into the console bucket'],
      ['Action::s3:DeleteObject*', 'replaces the console files it wrote before'],
      [`Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*`, 'the build is an object of the CDK asset bucket'],
      [`Resource::<${consoleBucket}.Arn>/*`, 'the console files are the objects of the console bucket'],
      ['Resource::*', "CDK grants cloudfront:CreateInvalidation/GetInvalidation on '*' so the helper can refresh the distribution after a deployment"],
    ];
    for (const helper of helpers.filter((h) => h.node.id.startsWith('Custom::CDKBucketDeployment'))) {
      for (const [finding, why] of wildcards) {
        Validations.of(helper).acknowledge({
          id: `AwsSolutions-IAM5[${finding}]`,
          reason: `CDK's BucketDeployment helper ${why}.`,
        });
      }
    }
  }
}

/**
 * The console's optional settings, from CDK context (like infra/settings.ts, `-c key=value`):
 *   consoleAuthDomain     Cognito hosted-UI base URL (https); with consoleAuthClientId, the
 *                         console signs in through it; without, it asks for a pasted token
 *   consoleAuthClientId   the app client (public, no secret; callback URL = the ConsoleUrl output)
 *   consoleAuthTokenUse   access (default) or id: the token the API's JWT authorizer accepts
 *   consoleWebAclArn      a CloudFront-scope WAF web ACL to attach
 */
export function consoleSettingsFrom(node: Construct['node']): Pick<ConsoleSiteProps, 'signIn' | 'webAclArn'> {
  const read = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string.`);
    return value.trim() || undefined;
  };
  const domain = read('consoleAuthDomain');
  const clientId = read('consoleAuthClientId');
  const tokenUse = read('consoleAuthTokenUse');
  const webAclArn = read('consoleWebAclArn');
  if ((domain === undefined) !== (clientId === undefined)) {
    throw new Error('Context "consoleAuthDomain" and "consoleAuthClientId" go together: set both or neither.');
  }
  if (domain !== undefined && !/^https:\/\/[^/]+\/?$/.test(domain)) {
    throw new Error(`Context "consoleAuthDomain" must be the hosted UI's https origin; got "${domain}".`);
  }
  if (tokenUse !== undefined && tokenUse !== 'access' && tokenUse !== 'id') {
    throw new Error(`Context "consoleAuthTokenUse" must be access or id; got "${tokenUse}".`);
  }
  if (webAclArn !== undefined && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(webAclArn)) {
    throw new Error(`Context "consoleWebAclArn" must be a global (CloudFront) WAFv2 web ACL ARN; got "${webAclArn}".`);
  }
  return {
    ...(domain && clientId ? { signIn: { domain, clientId, ...(tokenUse ? { tokenUse: tokenUse as 'access' | 'id' } : {}) } } : {}),
    ...(webAclArn ? { webAclArn } : {}),
  };
}
