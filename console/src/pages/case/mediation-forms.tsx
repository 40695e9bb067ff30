import { useState } from 'preact/hooks';
import type * as z from 'zod/mini';
import {
  MediationAcceptBodySchema,
  MediationDeclineBodySchema,
  MediationFulfilmentBodySchema,
  MediationOutcomeBodySchema,
  MediationSessionBodySchema,
  ReferMediationBodySchema,
} from '../../../../functions/api/mediation-schemas';
import { MEDIATION_ADVICE, PARTICIPANT_ROLES } from '../../../../functions/domain/mediation/model';
import { ApiProblem, postJson } from '../../api';
import type { ApiCase } from '../../case-types';
import { nowMs } from '../../clock';
import { useDirectory } from '../../directory';
import { compact, fieldErrors, limitsOf, textOrUndefined, useSubmission } from '../../forms';
import { useI18n, type MessageKey } from '../../i18n';
import { Choice, Field, FieldLabel } from '../../components/field';
import { ProblemView } from '../../components/common';
import type { ActionOutcome } from '../../components/actions';
import { beijingInputToIso, bodiesFor, isoToBeijingInput, MEDIATION_ROUTE, type MediationAction } from '../mediation/mediation-view';

/*
 * The mediation forms, one per action the API lists in `allowedActions`: the referral (the
 * holder, or the community at intake), the body's acceptance or refusal, a session, the outcome
 * and the fulfilment. Each checks its body with the route's own schema before sending, sends each
 * submission once (one Idempotency-Key), and shows the API's own words when it refuses; what only
 * the API can judge (an agreement's signatures, a body that declined before) it says itself.
 */

type Values = Record<string, string>;
type Send = ReturnType<typeof useSubmission>['send'];

async function submit(
  send: Send,
  view: ApiCase,
  action: MediationAction,
  body: unknown,
  onOutcome: (outcome: ActionOutcome) => void,
  setError: (error: unknown) => void,
): Promise<boolean> {
  setError(undefined);
  const path = `/v1/cases/${encodeURIComponent(view.id)}/${MEDIATION_ROUTE[action]}`;
  const result = await send((key) => postJson(path, body, key));
  if (!result) return false;
  if (result.ok) {
    onOutcome({ kind: 'sent', action });
    return true;
  }
  // The case moved on under this caller (another step, another body): said as such, and the page reloads.
  const error = result.error;
  if (error instanceof ApiProblem && error.status === 409 && error.code?.includes('moved-on')) {
    onOutcome({ kind: 'moved-on', action, problem: error });
    return false;
  }
  setError(error);
  return false;
}

function Invalid({ errors }: { errors: Record<string, string> }) {
  const { t } = useI18n();
  const count = Object.keys(errors).length;
  return count ? (
    <p class="problem form-invalid" role="alert">
      {t('invalid.summary', { count })}
    </p>
  ) : null;
}

/** The pieces every form shares: its values, whether it was checked, the API's refusal, one submission at a time. */
function useForm(schema: z.ZodMiniType, initial: Values = {}) {
  const [values, setValues] = useState<Values>(initial);
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<unknown>();
  const submission = useSubmission();
  const set = (name: string) => (value: string) => setValues((now) => ({ ...now, [name]: value }));
  const check = (body: unknown, t: Parameters<typeof fieldErrors>[2]) => fieldErrors(schema, body, t);
  return { values, setValues, set, checked, setChecked, error, setError, submission, check };
}

interface FormProps {
  readonly view: ApiCase;
  readonly onOutcome: (outcome: ActionOutcome) => void;
}

/** 申请调解: a body from the directory (its committees for this category, by channel) and the note. */
function ReferForm({ view, onOutcome }: FormProps) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const form = useForm(ReferMediationBodySchema);
  const groups = directory ? bodiesFor(directory.units, view.category) : [];
  const body = compact({ body: form.values.body || undefined, note: form.values.note?.trim() ?? '' });
  const errors = form.checked ? form.check(body, t) : {};
  const id = 'form-mediate';
  const send = async (event: Event) => {
    event.preventDefault();
    form.setChecked(true);
    if (Object.keys(form.check(body, t)).length) return;
    if (await submit(form.submission.send, view, 'mediate', body, onOutcome, form.setError)) {
      form.setValues({});
      form.setChecked(false);
    }
  };
  return (
    <form class="action-form mediation-form" id={id} data-action-form="mediate" onSubmit={send} noValidate aria-busy={form.submission.busy}>
      <div class={`field${errors.body ? ' invalid' : ''}`} data-field="body">
        <FieldLabel htmlFor={`${id}-body`} label={t('mform.body')} required />
        <select
          id={`${id}-body`}
          name="body"
          value={form.values.body ?? ''}
          aria-required="true"
          aria-invalid={errors.body ? 'true' : undefined}
          aria-describedby={`${id}-body-hint${errors.body ? ` ${id}-body-error` : ''}`}
          onChange={(event) => form.set('body')(event.currentTarget.value)}
        >
          <option value="">{t('mform.bodyPick')}</option>
          {groups.map((group) => (
            <optgroup key={group.channel} label={t(`mediation.channel.${group.channel}` as MessageKey)}>
              {group.bodies.map((unit) => (
                <option key={unit.id} value={unit.id}>
                  {lang === 'en' ? unit.nameEn : unit.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p class="field-hint" id={`${id}-body-hint`}>
          {directory && groups.length === 0 ? t('mform.bodyNone') : t('mform.bodyHint')}
        </p>
        {errors.body ? (
          <p class="field-error" id={`${id}-body-error`}>
            {errors.body}
          </p>
        ) : null}
      </div>
      <Field form={id} name="note" label={t('mform.note')} kind="textarea" value={form.values.note ?? ''} onInput={form.set('note')} limits={limitsOf(ReferMediationBodySchema, 'note')} error={errors.note} />
      <Invalid errors={errors} />
      <button type="submit" class="primary" disabled={form.submission.busy}>
        {t('action.mediate')}
      </button>
      <ProblemView error={form.error} />
    </form>
  );
}

/** 受理 (an optional note) or 不予受理 (a reason): one text each. */
function OneTextForm({ view, onOutcome, action }: FormProps & { action: 'mediation-accept' | 'mediation-decline' | 'mediation-fulfilment' }) {
  const { t } = useI18n();
  const schema = action === 'mediation-accept' ? MediationAcceptBodySchema : action === 'mediation-decline' ? MediationDeclineBodySchema : MediationFulfilmentBodySchema;
  const name = action === 'mediation-decline' ? 'reason' : 'note';
  const form = useForm(schema);
  const text = form.values[name] ?? '';
  const fulfilled = form.values.fulfilled;
  const body =
    action === 'mediation-accept'
      ? compact({ note: textOrUndefined(text) })
      : action === 'mediation-decline'
        ? { reason: text.trim() }
        : compact({ fulfilled: fulfilled === 'yes' ? true : fulfilled === 'no' ? false : undefined, note: text.trim() });
  const errors = form.checked ? form.check(body, t) : {};
  const id = `form-${action}`;
  const label: MessageKey = action === 'mediation-accept' ? 'mform.acceptNote' : action === 'mediation-decline' ? 'mform.declineReason' : 'mform.fulfilmentNote';
  const send = async (event: Event) => {
    event.preventDefault();
    form.setChecked(true);
    if (Object.keys(form.check(body, t)).length) return;
    if (await submit(form.submission.send, view, action, body, onOutcome, form.setError)) {
      form.setValues({});
      form.setChecked(false);
    }
  };
  return (
    <form class="action-form mediation-form" id={id} data-action-form={action} onSubmit={send} noValidate aria-busy={form.submission.busy}>
      {action === 'mediation-fulfilment' ? (
        <Choice
          form={id}
          name="fulfilled"
          label={t('mform.fulfilled')}
          value={fulfilled ?? ''}
          options={[
            ['yes', t('mform.fulfilled.yes')],
            ['no', t('mform.fulfilled.no')],
          ]}
          onChange={form.set('fulfilled')}
          required
          error={errors.fulfilled}
        />
      ) : null}
      <Field form={id} name={name} label={t(label)} kind="textarea" value={text} onInput={form.set(name)} limits={limitsOf(schema, name)} error={errors[name]} />
      <Invalid errors={errors} />
      <button type="submit" class="primary" disabled={form.submission.busy}>
        {t(`action.${action}` as MessageKey)}
      </button>
      <ProblemView error={form.error} />
    </form>
  );
}

interface Row {
  readonly key: number;
  readonly [name: string]: string | number;
}

/**
 * Rows the form adds and removes (participants, payments), each with its own fields. The keyboard
 * follows: a new row's first field takes the focus; a removed row gives it to the add button.
 */
function useRows(blank: () => Record<string, string>, attribute: string) {
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState(1);
  const focus = (selector: string) => requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
  return {
    rows,
    add: () => {
      setRows((now) => [...now, { key: next, ...blank() }]);
      setNext(next + 1);
      focus(`[${attribute}="${rows.length + 1}"] :is(input, select)`);
    },
    remove: (key: number) => {
      setRows((now) => now.filter((row) => row.key !== key));
      focus(`[data-add-row="${attribute}"]`);
    },
    set: (key: number, name: string, value: string) => setRows((now) => now.map((row) => (row.key === key ? { ...row, [name]: value } : row))),
    reset: () => setRows([]),
  };
}
const text = (row: Row, name: string) => String(row[name] ?? '');

/** 调解笔录: when it was held (Beijing time, not in the future), the record, the place, who took part by role. */
function SessionForm({ view, onOutcome }: FormProps) {
  const { t } = useI18n();
  const form = useForm(MediationSessionBodySchema, { at: isoToBeijingInput(nowMs()) });
  const people = useRows(() => ({ role: 'applicant', name: '' }), 'data-participant');
  const at = form.values.at ?? '';
  const body = compact({
    at: beijingInputToIso(at) ?? (at.trim() ? at : undefined),
    record: (form.values.record ?? '').trim(),
    participants: people.rows.length ? people.rows.map((row) => ({ role: text(row, 'role'), name: text(row, 'name').trim() })) : undefined,
    place: textOrUndefined(form.values.place),
  });
  const errors = form.checked ? form.check(body, t) : {};
  const id = 'form-mediation-sessions';
  const send = async (event: Event) => {
    event.preventDefault();
    form.setChecked(true);
    if (Object.keys(form.check(body, t)).length) return;
    if (await submit(form.submission.send, view, 'mediation-sessions', body, onOutcome, form.setError)) {
      form.setValues({ at: isoToBeijingInput(nowMs()) });
      people.reset();
      form.setChecked(false);
    }
  };
  return (
    <form class="action-form mediation-form" id={id} data-action-form="mediation-sessions" onSubmit={send} noValidate aria-busy={form.submission.busy}>
      <DateTimeField form={id} name="at" label={t('mform.at')} value={at} onInput={form.set('at')} error={errors.at} required />
      <fieldset class="rows" data-field="participants">
        <legend class="field-label">
          {t('mform.participants')} <span class="opt">({t('common.optional')})</span>
        </legend>
        {people.rows.map((row, i) => (
          <div class="row-fields" key={row.key} data-participant={i + 1} role="group" aria-label={t('mform.participantN', { n: i + 1 })}>
            <div class="field" data-field={`participants.${i}.role`}>
              <FieldLabel htmlFor={`${id}-p${row.key}-role`} label={t('mform.participantRole')} required />
              <select id={`${id}-p${row.key}-role`} name={`participants.${i}.role`} value={text(row, 'role')} onChange={(event) => people.set(row.key, 'role', event.currentTarget.value)}>
                {PARTICIPANT_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {t(`mediation.role.${role}` as MessageKey)}
                  </option>
                ))}
              </select>
            </div>
            <Field
              form={id}
              name={`participants.${i}.name`}
              label={t('mform.participantName')}
              value={text(row, 'name')}
              onInput={(value) => people.set(row.key, 'name', value)}
              limits={{ required: true, maxLength: 100 }}
              error={errors[`participants.${i}.name`]}
              autocomplete="off"
            />
            <button type="button" class="link row-remove" onClick={() => people.remove(row.key)}>
              {t('mform.remove', { what: t('mform.participantN', { n: i + 1 }) })}
            </button>
          </div>
        ))}
        <button type="button" data-action="add-participant" data-add-row="data-participant" onClick={people.add}>
          {t('mform.addParticipant')}
        </button>
      </fieldset>
      <Field form={id} name="record" label={t('mform.record')} kind="textarea" rows={5} value={form.values.record ?? ''} onInput={form.set('record')} limits={limitsOf(MediationSessionBodySchema, 'record')} error={errors.record} />
      <Field form={id} name="place" label={t('mform.place')} value={form.values.place ?? ''} onInput={form.set('place')} limits={limitsOf(MediationSessionBodySchema, 'place')} error={errors.place} />
      <Invalid errors={errors} />
      <button type="submit" class="primary" disabled={form.submission.busy}>
        {t('action.mediation-sessions')}
      </button>
      <ProblemView error={form.error} />
    </form>
  );
}

/** A time typed in Beijing time whatever the browser's zone (a datetime-local input). */
function DateTimeField(props: { form: string; name: string; label: string; value: string; onInput: (value: string) => void; error?: string; required: boolean; kind?: 'datetime-local' | 'date' }) {
  const id = `${props.form}-${props.name.replace(/\./g, '-')}`;
  return (
    <div class={`field${props.error ? ' invalid' : ''}`} data-field={props.name}>
      <FieldLabel htmlFor={id} label={props.label} required={props.required} />
      <input
        id={id}
        name={props.name}
        type={props.kind ?? 'datetime-local'}
        value={props.value}
        aria-required={props.required ? 'true' : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-error` : undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
      />
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** 调解结果: an agreement (terms, payments — who pays whom how much by when —, the day to carry it out by, signed and when) or a failure (why, and the advice given). */
function OutcomeForm({ view, onOutcome }: FormProps) {
  const { t } = useI18n();
  const form = useForm(MediationOutcomeBodySchema, { result: 'agreement', signedAt: isoToBeijingInput(nowMs()) });
  const payments = useRows(() => ({ payer: '', payee: '', amountYuan: '', dueBy: '' }), 'data-payment');
  const v = form.values;
  const agreement = v.result === 'agreement';
  const signedAt = v.signedAt ?? '';
  const body = agreement
    ? compact({
        result: 'agreement' as const,
        terms: textOrUndefined(v.terms),
        amounts: payments.rows.length
          ? payments.rows.map((row) => ({
              payer: text(row, 'payer').trim(),
              payee: text(row, 'payee').trim(),
              amountYuan: text(row, 'amountYuan').trim() === '' ? undefined : Number(text(row, 'amountYuan')),
              dueBy: text(row, 'dueBy'),
            }))
          : undefined,
        performBy: v.performBy || undefined,
        signed: v.signed === 'true',
        signedAt: v.signed === 'true' ? (beijingInputToIso(signedAt) ?? (signedAt.trim() ? signedAt : undefined)) : undefined,
      })
    : compact({ result: v.result === 'failed' ? ('failed' as const) : undefined, reason: textOrUndefined(v.reason), advice: v.advice || undefined });
  const errors = form.checked ? form.check(body, t) : {};
  const id = 'form-mediation-outcome';
  const send = async (event: Event) => {
    event.preventDefault();
    form.setChecked(true);
    if (Object.keys(form.check(body, t)).length) return;
    if (await submit(form.submission.send, view, 'mediation-outcome', body, onOutcome, form.setError)) {
      form.setValues({ result: 'agreement', signedAt: isoToBeijingInput(nowMs()) });
      payments.reset();
      form.setChecked(false);
    }
  };
  const amountLimits = { required: true, min: 0.01, max: 50_000_000, step: 0.01 };
  return (
    <form class="action-form mediation-form" id={id} data-action-form="mediation-outcome" onSubmit={send} noValidate aria-busy={form.submission.busy}>
      <Choice
        form={id}
        name="result"
        label={t('mform.result')}
        value={v.result ?? ''}
        options={[
          ['agreement', t('mform.result.agreement')],
          ['failed', t('mform.result.failed')],
        ]}
        onChange={form.set('result')}
        required
        error={errors.result}
      />
      {agreement ? (
        <>
          <Field form={id} name="terms" label={t('mform.terms')} kind="textarea" rows={4} value={v.terms ?? ''} onInput={form.set('terms')} limits={{ ...limitsOf(MediationOutcomeBodySchema, 'terms'), required: true }} error={errors.terms} />
          <fieldset class="rows" data-field="amounts">
            <legend class="field-label">
              {t('mform.amounts')} <span class="opt">({t('common.optional')})</span>
            </legend>
            {payments.rows.map((row, i) => (
              <div class="row-fields" key={row.key} data-payment={i + 1} role="group" aria-label={t('mform.amountN', { n: i + 1 })}>
                <Field form={id} name={`amounts.${i}.payer`} label={t('mform.payer')} value={text(row, 'payer')} onInput={(value) => payments.set(row.key, 'payer', value)} limits={{ required: true, maxLength: 100 }} error={errors[`amounts.${i}.payer`]} autocomplete="off" />
                <Field form={id} name={`amounts.${i}.payee`} label={t('mform.payee')} value={text(row, 'payee')} onInput={(value) => payments.set(row.key, 'payee', value)} limits={{ required: true, maxLength: 100 }} error={errors[`amounts.${i}.payee`]} autocomplete="off" />
                <Field form={id} name={`amounts.${i}.amountYuan`} label={t('mform.amountYuan')} kind="number" value={text(row, 'amountYuan')} onInput={(value) => payments.set(row.key, 'amountYuan', value)} limits={amountLimits} error={errors[`amounts.${i}.amountYuan`]} />
                <DateTimeField form={id} kind="date" name={`amounts.${i}.dueBy`} label={t('mform.dueBy')} value={text(row, 'dueBy')} onInput={(value) => payments.set(row.key, 'dueBy', value)} error={errors[`amounts.${i}.dueBy`]} required />
                <button type="button" class="link row-remove" onClick={() => payments.remove(row.key)}>
                  {t('mform.remove', { what: t('mform.amountN', { n: i + 1 }) })}
                </button>
              </div>
            ))}
            <button type="button" data-action="add-amount" data-add-row="data-payment" onClick={payments.add}>
              {t('mform.addAmount')}
            </button>
          </fieldset>
          <DateTimeField form={id} kind="date" name="performBy" label={t('mform.performBy')} value={v.performBy ?? ''} onInput={form.set('performBy')} error={errors.performBy} required={false} />
          <p class="field-hint">{t('mform.performByHint')}</p>
          <label class="check" data-field="signed">
            <input type="checkbox" form={id} name="signed" checked={v.signed === 'true'} onChange={(event) => form.set('signed')(event.currentTarget.checked ? 'true' : '')} /> {t('mform.signed')}
          </label>
          {v.signed === 'true' ? <DateTimeField form={id} name="signedAt" label={t('mform.signedAt')} value={signedAt} onInput={form.set('signedAt')} error={errors.signedAt} required /> : null}
        </>
      ) : (
        <>
          <Field form={id} name="reason" label={t('mform.failReason')} kind="textarea" value={v.reason ?? ''} onInput={form.set('reason')} limits={{ ...limitsOf(MediationOutcomeBodySchema, 'reason'), required: true }} error={errors.reason} />
          <Choice
            form={id}
            name="advice"
            label={t('mform.advice')}
            value={v.advice ?? ''}
            options={MEDIATION_ADVICE.map((advice) => [advice, t(`mediation.advice.${advice}` as MessageKey)] as const)}
            onChange={form.set('advice')}
            required
            error={errors.advice}
          />
        </>
      )}
      <Invalid errors={errors} />
      <button type="submit" class="primary" disabled={form.submission.busy}>
        {t('action.mediation-outcome')}
      </button>
      <ProblemView error={form.error} />
    </form>
  );
}

/** The form of one mediation action the API offers. */
export function MediationForm({ action, view, onOutcome }: FormProps & { action: MediationAction }) {
  switch (action) {
    case 'mediate':
      return <ReferForm view={view} onOutcome={onOutcome} />;
    case 'mediation-sessions':
      return <SessionForm view={view} onOutcome={onOutcome} />;
    case 'mediation-outcome':
      return <OutcomeForm view={view} onOutcome={onOutcome} />;
    default:
      return <OneTextForm key={action} view={view} onOutcome={onOutcome} action={action} />;
  }
}
