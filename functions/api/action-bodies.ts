import * as z from 'zod/mini';
import '../domain/zod-locale';
import { EVALUATION_RATINGS, UnitIdSchema } from '../domain/case';

/** Request bodies of the case actions (the public contract, docs/api.md), shared by the handlers and the OpenAPI document. */
const Text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const PHONE = /^(?:\+86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

export const SignOffBodySchema = z
  .strictObject({
    handler: z.strictObject({
      name: Text(100),
      phone: z.optional(z.string().check(z.regex(PHONE, 'a mainland mobile number or a landline with area code'))),
    }),
    note: z.optional(Text(2000)),
  })
  .register(z.globalRegistry, { id: 'SignOffBody' });

export const ProgressBodySchema = z.strictObject({ note: Text(2000) }).register(z.globalRegistry, { id: 'ProgressBody' });

/** The leader who approves a result (一笔审批): name and post. */
export const ApproverSchema = z.strictObject({ name: Text(100), post: Text(100) }).register(z.globalRegistry, { id: 'Approver' });

/** Without `approvedBy` the approval is recorded as pending; POST /v1/cases/{id}/approval records it within the handling window. */
export const ResolveBodySchema = z
  .strictObject({ summary: Text(2000), outcome: Text(2000), approvedBy: z.optional(ApproverSchema) })
  .register(z.globalRegistry, { id: 'ResolveBody' });

export const ReasonBodySchema = z.strictObject({ reason: Text(2000) }).register(z.globalRegistry, { id: 'ReasonBody' });

export const EvaluateBodySchema = z
  .strictObject({ rating: z.enum(EVALUATION_RATINGS), comment: z.optional(Text(2000)) })
  .register(z.globalRegistry, { id: 'EvaluateBody' });

export const ExtensionBodySchema = z
  .strictObject({
    workingDays: z.number().check(z.multipleOf(0.5, 'whole or half working days'), z.minimum(0.5), z.maximum(30)),
    reason: Text(2000),
  })
  .register(z.globalRegistry, { id: 'ExtensionBody' });

export const SUPERVISE_ACTIONS = ['urge', 'reassign', 'approve-extension', 'refuse-extension', 'waive-co-handler'] as const;
export const SuperviseBodySchema = z
  .strictObject({
    action: z.enum(SUPERVISE_ACTIONS),
    toUnit: z.optional(UnitIdSchema),
    /** The co-handling unit whose part is urged or waived. */
    coHandler: z.optional(UnitIdSchema),
    note: Text(2000),
  })
  .check(
    z.superRefine((body, ctx) => {
      if (body.action === 'reassign' && body.toUnit === undefined) {
        ctx.addIssue({ code: 'custom', path: ['toUnit'], message: 'required when action is reassign' });
      }
      if (body.action !== 'reassign' && body.toUnit !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['toUnit'], message: 'only allowed when action is reassign' });
      }
      if (body.action === 'waive-co-handler' && body.coHandler === undefined) {
        ctx.addIssue({ code: 'custom', path: ['coHandler'], message: 'required when action is waive-co-handler' });
      }
      if (body.action !== 'waive-co-handler' && body.action !== 'urge' && body.coHandler !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['coHandler'], message: 'only allowed to urge or waive a co-handler' });
      }
    }),
  )
  .register(z.globalRegistry, { id: 'SuperviseBody' });

/** 协办: the holder brings in other units, each with the task, a window in working days, and whether it needs the complainant's data. */
export const CoHandleBodySchema = z
  .strictObject({
    units: z.array(UnitIdSchema).check(z.minLength(1), z.maxLength(10)),
    task: Text(2000),
    workingDays: z.number().check(z.multipleOf(0.5, 'whole or half working days'), z.minimum(0.5), z.maximum(30)),
    sharePersonalData: z.optional(z.boolean()),
  })
  .register(z.globalRegistry, { id: 'CoHandleBody' });

export const CoHandlerSignOffBodySchema = z
  .strictObject({
    handler: z.optional(
      z.strictObject({
        name: Text(100),
        phone: z.optional(z.string().check(z.regex(PHONE, 'a mainland mobile number or a landline with area code'))),
      }),
    ),
  })
  .register(z.globalRegistry, { id: 'CoHandlerSignOffBody' });

export const CoHandlerReplyBodySchema = z.strictObject({ summary: Text(2000) }).register(z.globalRegistry, { id: 'CoHandlerReplyBody' });
