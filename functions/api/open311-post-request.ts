import { ulid } from 'ulid';
import { calendar, caseStore, directory, routingRules } from '../commons/app';
import { now } from '../commons/clock';
import { logger } from '../commons/logger';
import { startCaseWorkflow } from '../commons/workflow';
import { acceptCase } from '../domain/case';
import type { Caller } from '../domain/identity';
import { newTrackingCode } from '../domain/tracking';
import { TrackingCodeTaken } from '../store/case-store';
import { open311KeyStore } from '../open311/app';
import { List } from '../open311/document';
import { open311Error, open311Handler } from '../open311/http';
import { intakeRoleOf } from '../open311/keys';
import { readPostedFields } from '../open311/posted-fields';
import { intakeBodyOf, serviceNotice } from '../open311/requests';

/**
 * POST /open311/v2/requests.{json,xml}: a citizen's request through an Open311 client, made
 * into a case as the key's unit would make it at POST /v1/cases: the same body schema, the same
 * intake rule (acceptCase), the same store write and workflow start. Every check runs before
 * anything is written; the answer is the spec's [{service_request_id, token, service_notice}].
 */
export const handler = open311Handler(async ({ event, texts }) => {
  const fields = readPostedFields(event);
  const apiKey = fields.api_key?.trim();
  if (!apiKey) throw open311Error(400, 'open311-api-key-missing');
  const holder = await open311KeyStore().holderOf(apiKey);
  const role = holder ? intakeRoleOf(holder.unit) : undefined;
  if (!holder || !role) throw open311Error(403, 'open311-api-key-invalid');
  const body = intakeBodyOf(fields, role, texts);
  const caller: Caller = { sub: `open311:${holder.keyId}`, unit: holder.unit, role };

  const nowMs = now();
  const id = ulid(nowMs);
  const accept = () => acceptCase(body, { caller, id, nowMs, directory, calendar, routingRules, trackingCode: newTrackingCode() });
  // Intake's rules first (a refusal stores nothing), then the token, then the case.
  let accepted = accept();
  const token = await open311KeyStore().newToken(id, Math.floor(nowMs / 1000));
  for (let tries = 0; ; tries++) {
    try {
      await caseStore().createCase(accepted.record, accepted.event);
      break;
    } catch (error) {
      // A tracking code already taken (40 random bits: about never) draws another.
      if (!(error instanceof TrackingCodeTaken) || tries >= 2) throw error;
      accepted = accept();
    }
  }
  try {
    await startCaseWorkflow(id);
  } catch (error) {
    // The case is stored with its outbox entry; the outbox sweeper starts the workflow, as for POST /v1/cases.
    logger.warn({ caseId: id, err: error }, 'workflow not started now; left to the outbox sweeper');
  }
  return {
    status: 201,
    document: {
      root: 'service_requests',
      value: new List('request', [{ service_request_id: id, token, service_notice: serviceNotice(accepted.record, texts) }]),
    },
  };
});
