import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The state machine definitions and their placeholders, in one place: the CDK stack fills
 * the placeholders with deployed ARNs, the local stack with local ones, and both execute
 * the very same file.
 */
export const CASE_WORKFLOW_FILE = join(__dirname, 'case.asl.json');

/**
 * The partition every `arn:${Partition}:states:::...` service integration is in: the CDK stack
 * passes the stack's partition (aws, aws-cn, aws-us-gov), so one definition runs in every
 * partition; the local stack and the tests leave it to the default.
 */
export const DEFAULT_PARTITION = 'aws';

export interface CaseWorkflowReferences {
  readonly workflowFunctionArn: string;
  readonly alertTopicArn: string;
  /** Default `aws`. */
  readonly partition?: string;
}

/** Every `${Placeholder}` of case.asl.json and what it stands for. */
export const caseWorkflowSubstitutions = (refs: CaseWorkflowReferences): Record<string, string> => ({
  Partition: refs.partition ?? DEFAULT_PARTITION,
  CaseWorkflowFunctionArn: refs.workflowFunctionArn,
  AlertTopicArn: refs.alertTopicArn,
});

export const readCaseWorkflowDefinition = (): string => readFileSync(CASE_WORKFLOW_FILE, 'utf8');

/** The definition with its placeholders filled, as Step Functions receives it. */
export function substitute(definition: string, substitutions: Record<string, string>): string {
  const filled = definition.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in substitutions)) throw new Error(`No value for placeholder \${${name}}.`);
    return substitutions[name];
  });
  return filled;
}

/* The monthly report's state machine (report.asl.json). */
export const REPORT_WORKFLOW_FILE = join(__dirname, 'report.asl.json');

export interface ReportWorkflowReferences {
  readonly planFunctionArn: string;
  /** The segment reader, by the alias that carries its scheduled provisioned concurrency. */
  readonly segmentFunctionArn: string;
  readonly writerFunctionArn: string;
  readonly alertTopicArn: string;
  /** Default `aws`. */
  readonly partition?: string;
}

/** Every `${Placeholder}` of report.asl.json and what it stands for. */
export const reportWorkflowSubstitutions = (refs: ReportWorkflowReferences): Record<string, string> => ({
  Partition: refs.partition ?? DEFAULT_PARTITION,
  PlanFunctionArn: refs.planFunctionArn,
  SegmentFunctionArn: refs.segmentFunctionArn,
  WriterFunctionArn: refs.writerFunctionArn,
  AlertTopicArn: refs.alertTopicArn,
});

export const readReportWorkflowDefinition = (): string => readFileSync(REPORT_WORKFLOW_FILE, 'utf8');
