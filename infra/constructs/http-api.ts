import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { guardRule } from './guard';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi as GatewayHttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type RouteDefinition, THROTTLES, type Throttle } from '../../functions/api/routes';
import { ApiFunction, bindTable, bindWorkflow } from './api-function';
import { bindNotifications } from './notification-sending';
import type { CaseTable } from './case-table';
import type { CaseWorkflow } from './case-workflow';
import { encryptedLogGroup } from './encryption';

export interface HttpApiProps {
  readonly apiName: string;
  readonly table: CaseTable;
  readonly workflow: CaseWorkflow;
  readonly jwtIssuer: string;
  readonly jwtAudience: readonly string[];
  /** The console's origin; CORS stays off without it. */
  readonly consoleOrigin?: string;
  readonly removalPolicy: RemovalPolicy;
  /** Requests per second across the API, and the burst above it. */
  /** Requests per second across the signed-in routes, and the burst above it. Default THROTTLES.signedIn. */
  readonly throttle?: Throttle;
  /** Each public route's own limit. Default THROTTLES.public. */
  readonly publicThrottle?: Throttle;
}

/**
 * Who called what, how it ended and how long it took: never bodies, headers or tokens,
 * since requests carry complainants' personal data.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  responseLength: '$context.responseLength',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
};

/** `GET /v1/cases/{id}` → `GetV1CasesId`: a stable construct id per route. */
export function routeConstructId(route: RouteDefinition): string {
  return `${route.method} ${route.path}`
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1).toLowerCase())
    .join('');
}

export const routeKey = (route: RouteDefinition): string => `${route.method} ${route.path}`;

/**
 * The HTTP API: one function and one route per entry of ROUTES, each function granted
 * what its `needs` say. A JWT authorizer guards every route that is not public.
 */
export class HttpApi extends Construct {
  readonly api: GatewayHttpApi;
  readonly stage: HttpStage;
  /** Keyed by route key, e.g. `POST /v1/cases`. */
  readonly functions: ReadonlyMap<string, ApiFunction>;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);

    this.api = new GatewayHttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'Linked resolution of citizens\' complaints across government units',
      // The stage is created below, with access logs and throttling.
      createDefaultStage: false,
      corsPreflight: props.consoleOrigin
        ? {
            allowOrigins: [props.consoleOrigin],
            allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
            allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match'],
            exposeHeaders: ['x-request-id', 'etag'],
            maxAge: Duration.hours(1),
          }
        : undefined,
    });

    const accessLogs = encryptedLogGroup(this, 'AccessLogs', {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: props.removalPolicy,
    });
    const throttle = props.throttle ?? THROTTLES.signedIn;
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [...props.jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });

    const functions = new Map<string, ApiFunction>();
    const publicRoutes: RouteDefinition[] = [];
    for (const route of ROUTES) {
      const id = routeConstructId(route);
      const fn = new ApiFunction(this, id, {
        entry: `functions/api/${route.handler}.ts`,
        description: routeKey(route),
        removalPolicy: props.removalPolicy,
      });
      if (route.needs.table) bindTable(fn, props.table, route.needs.table);
      if (route.needs.workflow?.length) bindWorkflow(fn, props.workflow, route.needs.workflow);
      if (route.needs.notifications) bindNotifications(fn, route.needs.notifications);

      const [gatewayRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${id}Integration`, fn.function),
        authorizer: route.public ? undefined : authorizer,
      });
      // The permission lets API Gateway invoke the function from this API's route only (SourceArn names it).
      Validations.of(gatewayRoute).acknowledge({
        id: guardRule('lambda_function_public_access_prohibited_check'),
        reason:
          "The function's resource policy admits apigateway.amazonaws.com only with a SourceArn naming this API's " +
          'route, so no other API or account can invoke it; the rule flags any service principal without aws:SourceAccount.',
      });
      if (route.public) {
        publicRoutes.push(route);
        Validations.of(gatewayRoute).acknowledge({
          id: guardRule('api_gw_v2_authorization_type_configured_check'),
          reason: `${routeKey(route)} is public by contract (health or public information), with a throttle of its own; the JWT authorizer guards every other route.`,
        });
        // Route settings name the route by key: the stage may only be deployed once the route exists.
        this.stage.node.addDependency(gatewayRoute);
        Validations.of(gatewayRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(route)} is public by contract (health or public information); the JWT authorizer guards every other route.`,
        });
      }
      functions.set(routeKey(route), fn);
    }
    this.functions = functions;

    // Each public route gets its own throttle, apart from the stage's (which the signed-in routes share).
    const publicThrottle = props.publicThrottle ?? THROTTLES.public;
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      publicRoutes.map((route) => [
        routeKey(route),
        // RouteSettings is untyped in CloudFormation's schema, so CDK passes it as written: PascalCase.
        { ThrottlingRateLimit: publicThrottle.rateLimit, ThrottlingBurstLimit: publicThrottle.burstLimit },
      ]),
    );
  }

  get url(): string {
    return this.stage.url;
  }
}
