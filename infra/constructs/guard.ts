/**
 * The id under which a cfn-guard finding is acknowledged with `Validations.of(...).acknowledge`:
 * the plugin's namespace and the rule's name as the validation report gives it (e.g.
 * `lambda_inside_vpc_check`, Control Tower's CT.LAMBDA.PR.3). cdk-nag's findings are acknowledged
 * by their own ids (`AwsSolutions-…`); each acknowledgement carries its reason, in code.
 */
export const GUARD_PLUGIN = 'cdk-validator-cfnguard';

export const guardRule = (rule: string): string => `${GUARD_PLUGIN}::${rule}`;
