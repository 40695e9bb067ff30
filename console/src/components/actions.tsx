import { useState } from 'preact/hooks';
import type * as z from 'zod/mini';
import {
  ApproverSchema,
  CoHandleBodySchema,
  CoHandlerReplyBodySchema,
  CoHandlerSignOffBodySchema,
  EvaluateBodySchema,
  ExtensionBodySchema,
  ProgressBodySchema,
  ReasonBodySchema,
  ResolveBodySchema,
  SignOffBodySchema,
  SuperviseBodySchema,
} from '../../../functions/api/action-bodies';
import { FollowUpBodySchema } from '../../../functions/api/citizen-bodies';
import { EVALUATION_RATINGS } from '../../../functions/domain/case';
import { OUTSTANDING_CO_HANDLER } from '../../../functions/domain/case';
import { TIER0_HANDLING_KINDS } from '../../../functions/domain/roles';
import { ApiProblem, deleteResource, postJson } from '../api';
import { sessionStore } from '../auth';
import { useDirectory } from '../directory';
import { useStore } from '../store';
import type { ApiCase } from '../case-types';
import { compact, fieldErrors, limitsOf, textOrUndefined, useSubmission } from '../forms';
import { useI18n, type MessageKey } from '../i18n';
import { Choice, Field } from './field';
import { ProblemView } from './common';
import { UnitPicker } from './unit-picker';

/**
 * The case's workflow actions, one form per action name. The page shows a form exactly for
 * each action the API lists in `allowedActions` (names it does not know are ignored); it never
 * decides from the caller's role. Each form checks its body with the API's own schema before
 * sending, and sends each submission once (one Idempotency-Key per submission).
 */
export type ActionOutcome = { kind: 'sent'; action: string } | { kind: 'moved-on'; action: string; problem: ApiProblem };

interface FieldSpec {
  readonly name: string;
  readonly label: MessageKey;
  readonly kind?: 'text' | 'textarea' | 'tel' | 'number' | 'choice' | 'checkbox';
  readonly options?: readonly string[];
  readonly optionLabel?: (value: string) => MessageKey;
  readonly autocomplete?: string;
  /** Shown (and sent) only when this holds for what is typed; a checkbox's value is 'true' or ''. */
  readonly when?: (values: Record<string, string>) => boolean;
  /** Must be filled although the schema leaves its object optional (the approver, unless it is to follow). */
  readonly required?: boolean;
  /** A choice in the form that is not part of the body (names starting with '_'). */
}

interface FormSpec {
  readonly schema: z.ZodMiniType;
  /** The path under /v1/cases/{id}/; a co-handler's own part is under its own unit. */
  readonly path: string | ((unit: string) => string);
  readonly fields: readonly FieldSpec[];
}

const coHandlerPath = (action: string) => (unit: string) => `co-handlers/${encodeURIComponent(unit)}/${action}`;
const approvalLater = (values: Record<string, string>) => values._approvalLater !== 'true';

const reason: FieldSpec = { name: 'reason', label: 'field.reason', kind: 'textarea' };

const FORMS: Record<string, FormSpec> = {
  'sign-off': {
    schema: SignOffBodySchema,
    path: 'sign-off',
    fields: [
      { name: 'handler.name', label: 'field.handlerName', autocomplete: 'name' },
      { name: 'handler.phone', label: 'field.handlerPhone', kind: 'tel', autocomplete: 'tel' },
      { name: 'note', label: 'field.signOffNote', kind: 'textarea' },
    ],
  },
  progress: { schema: ProgressBodySchema, path: 'progress', fields: [{ name: 'note', label: 'field.progressNote', kind: 'textarea' }] },
  resolve: {
    schema: ResolveBodySchema,
    path: 'resolve',
    fields: [
      { name: 'summary', label: 'field.summary', kind: 'textarea' },
      { name: 'outcome', label: 'field.outcome', kind: 'textarea' },
      // 一笔审批: the approving leader, or a plain choice that the approval follows later.
      { name: '_approvalLater', label: 'approval.later', kind: 'checkbox' },
      { name: 'approvedBy.name', label: 'approval.name', autocomplete: 'off', when: approvalLater, required: true },
      { name: 'approvedBy.post', label: 'approval.post', autocomplete: 'off', when: approvalLater, required: true },
    ],
  },
  approval: {
    schema: ApproverSchema,
    path: 'approval',
    fields: [
      { name: 'name', label: 'approval.name', autocomplete: 'off' },
      { name: 'post', label: 'approval.post', autocomplete: 'off' },
    ],
  },
  'co-handler-sign-off': {
    schema: CoHandlerSignOffBodySchema,
    path: coHandlerPath('sign-off'),
    fields: [
      { name: 'handler.name', label: 'co.handlerName', autocomplete: 'name' },
      { name: 'handler.phone', label: 'co.handlerPhone', kind: 'tel', autocomplete: 'tel' },
    ],
  },
  'co-handler-reply': { schema: CoHandlerReplyBodySchema, path: coHandlerPath('reply'), fields: [{ name: 'summary', label: 'co.replySummary', kind: 'textarea' }] },
  'co-handler-return': { schema: ReasonBodySchema, path: coHandlerPath('return'), fields: [reason] },
  escalate: { schema: ReasonBodySchema, path: 'escalate', fields: [reason] },
  return: { schema: ReasonBodySchema, path: 'return', fields: [reason] },
  extension: {
    schema: ExtensionBodySchema,
    path: 'extension',
    fields: [{ name: 'workingDays', label: 'field.workingDays', kind: 'number' }, reason],
  },
  evaluate: {
    schema: EvaluateBodySchema,
    path: 'evaluate',
    fields: [
      { name: 'rating', label: 'field.rating', kind: 'choice', options: EVALUATION_RATINGS, optionLabel: (value) => `rating.${value}` as MessageKey },
      { name: 'comment', label: 'field.comment', kind: 'textarea' },
    ],
  },
  // 回访: the supervision centre records the complainant's answer on a result the community reported itself.
  'follow-up': {
    schema: FollowUpBodySchema,
    path: 'follow-up',
    fields: [
      { name: 'rating', label: 'field.rating', kind: 'choice', options: EVALUATION_RATINGS, optionLabel: (value) => `rating.${value}` as MessageKey },
      { name: 'comment', label: 'field.comment', kind: 'textarea' },
    ],
  },
  reopen: { schema: ReasonBodySchema, path: 'reopen', fields: [reason] },
};

/** Action names this console has a form for, in the order they are offered. */
export const KNOWN_ACTIONS = [
  'sign-off',
  'co-handler-sign-off',
  'co-handler-reply',
  'progress',
  'co-handle',
  'resolve',
  'approval',
  'evaluate',
  'follow-up',
  'reopen',
  'escalate',
  'extension',
  'return',
  'co-handler-return',
  'supervise',
  'erase-complainant',
] as const;

/** The allowed actions this console knows, in its order. */
export const offeredActions = (view: ApiCase): string[] => KNOWN_ACTIONS.filter((name) => view.allowedActions?.includes(name));

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const names = path.split('.');
  let node = target;
  for (const name of names.slice(0, -1)) node = (node[name] ??= {}) as Record<string, unknown>;
  if (value !== undefined) node[names[names.length - 1]] = value;
}

/** Drops objects left empty (an optional handler with nothing typed is not sent). */
function pruned(node: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(node)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      pruned(value as Record<string, unknown>);
      if (Object.keys(value).length === 0) delete node[name];
    }
  }
  return node;
}

const shown = (field: FieldSpec, values: Record<string, string>) => !field.when || field.when(values);

function bodyOf(spec: FormSpec, values: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of spec.fields) {
    if (field.name.startsWith('_') || !shown(field, values)) continue;
    const raw = values[field.name] ?? '';
    const required = field.required || limitsOf(spec.schema, field.name).required;
    let value: unknown;
    if (field.kind === 'number') value = raw.trim() === '' ? undefined : Number(raw);
    else if (field.kind === 'choice') value = raw || undefined;
    else value = required ? raw.trim() : textOrUndefined(raw);
    setAt(body, field.name, value);
  }
  return pruned(body);
}

const casePath = (view: ApiCase, action: string) => `/v1/cases/${encodeURIComponent(view.id)}/${action}`;

/** What every form does with the API's answer: done, moved on (409: the page reloads), or refused in the API's words. */
async function submitAction(
  send: ReturnType<typeof useSubmission>['send'],
  attempt: (key: string) => Promise<unknown>,
  action: string,
  onOutcome: (outcome: ActionOutcome) => void,
  setError: (error: unknown) => void,
): Promise<boolean> {
  setError(undefined);
  const result = await send(attempt);
  if (!result) return false;
  if (result.ok) {
    onOutcome({ kind: 'sent', action });
    return true;
  }
  // A resolve while co-handlers still owe their parts is refused with its own words: not "moved on".
  if (result.error instanceof ApiProblem && result.error.status === 409 && !result.error.code?.endsWith('co-handlers-outstanding')) {
    onOutcome({ kind: 'moved-on', action, problem: result.error });
    return false;
  }
  setError(result.error);
  return false;
}

function SummaryOfErrors({ errors }: { errors: Record<string, string> }) {
  const { t } = useI18n();
  const count = Object.keys(errors).length;
  if (!count) return null;
  return (
    <p class="problem form-invalid" role="alert">
      {t('invalid.summary', { count })}
    </p>
  );
}

function GenericActionForm({ action, view, onOutcome }: { action: string; view: ApiCase; onOutcome: (outcome: ActionOutcome) => void }) {
  const { t } = useI18n();
  const spec = FORMS[action];
  const session = useStore(sessionStore);
  const path = typeof spec.path === 'string' ? spec.path : spec.path(session?.unit ?? '');
  const [values, setValues] = useState<Record<string, string>>({});
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<unknown>();
  const submission = useSubmission();
  const body = bodyOf(spec, values);
  const errors = checked ? fieldErrors(spec.schema, body, t) : {};
  const formId = `form-${action}`;

  const submit = async (event: Event) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(fieldErrors(spec.schema, body, t)).length) return;
    const sent = await submitAction(submission.send, (key) => postJson(casePath(view, path), body, key), action, onOutcome, setError);
    if (sent) {
      setValues({});
      setChecked(false);
    }
  };

  return (
    <form class="action-form" id={formId} data-action-form={action} onSubmit={submit} noValidate aria-busy={submission.busy}>
      {spec.fields.filter((field) => shown(field, values)).map((field) =>
        field.kind === 'checkbox' ? (
          <label key={field.name} class="check" data-field={field.name}>
            <input
              type="checkbox"
              form={formId}
              name={field.name}
              checked={values[field.name] === 'true'}
              onChange={(event) => setValues({ ...values, [field.name]: event.currentTarget.checked ? 'true' : '' })}
            />{' '}
            {t(field.label)}
          </label>
        ) : field.kind === 'choice' ? (
          <Choice
            key={field.name}
            form={formId}
            name={field.name}
            label={t(field.label)}
            value={values[field.name] ?? ''}
            options={(field.options ?? []).map((value) => [value, t(field.optionLabel ? field.optionLabel(value) : (value as MessageKey))] as const)}
            onChange={(value) => setValues({ ...values, [field.name]: value })}
            required={limitsOf(spec.schema, field.name).required}
            error={errors[field.name]}
          />
        ) : (
          <Field
            key={field.name}
            form={formId}
            name={field.name}
            label={t(field.label)}
            kind={field.kind}
            value={values[field.name] ?? ''}
            onInput={(value) => setValues({ ...values, [field.name]: value })}
            limits={{ ...limitsOf(spec.schema, field.name), ...(field.required ? { required: true } : {}) }}
            error={errors[field.name]}
            autocomplete={field.autocomplete}
          />
        ),
      )}
      <SummaryOfErrors errors={errors} />
      <button type="submit" class="primary" disabled={submission.busy}>
        {t(`action.${action}` as MessageKey)}
      </button>
      <ProblemView error={error} />
    </form>
  );
}

/** Units a case can be reassigned to or brought in as co-handlers, as the workflow accepts them (roles.ts). */
const REASSIGNABLE_KINDS: ReadonlySet<string> = new Set(TIER0_HANDLING_KINDS);

/** Co-handling parts still owed (the API's list of outstanding statuses). */
export const outstandingParts = (view: ApiCase) => (view.coHandlers ?? []).filter((part) => OUTSTANDING_CO_HANDLER.includes(part.status));

function SuperviseForm({ view, onOutcome }: { view: ApiCase; onOutcome: (outcome: ActionOutcome) => void }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const choices = (view.supervisionActions ?? []).filter((name) => ['urge', 'reassign', 'approve-extension', 'refuse-extension', 'waive-co-handler'].includes(name));
  const [picked, setAction] = useState(choices[0] ?? '');
  // The list follows the case: a choice that no longer fits falls back to the first that does.
  const action = choices.includes(picked) ? picked : (choices[0] ?? '');
  const [toUnit, setToUnit] = useState('');
  const [pickedCoHandler, setCoHandler] = useState('');
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<unknown>();
  const submission = useSubmission();
  const parts = outstandingParts(view);
  const coHandler = parts.some((part) => part.unit === pickedCoHandler) ? pickedCoHandler : '';
  const namesCoHandler = action === 'urge' || action === 'waive-co-handler';
  const body = compact({
    action: action || undefined,
    toUnit: action === 'reassign' ? toUnit || undefined : undefined,
    coHandler: namesCoHandler ? coHandler || undefined : undefined,
    note: note.trim(),
  });
  const errors = checked ? fieldErrors(SuperviseBodySchema, body, t) : {};
  const formId = 'form-supervise';
  const unitName = (id: string) => directory?.unitName(id, lang) ?? id;

  const submit = async (event: Event) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(fieldErrors(SuperviseBodySchema, body, t)).length) return;
    const sent = await submitAction(submission.send, (key) => postJson(casePath(view, 'supervise'), body, key), 'supervise', onOutcome, setError);
    if (sent) {
      setNote('');
      setToUnit('');
      setCoHandler('');
      setChecked(false);
    }
  };

  return (
    <form class="action-form supervise-form" id={formId} data-action-form="supervise" onSubmit={submit} noValidate aria-busy={submission.busy}>
      <Choice
        form={formId}
        name="action"
        label={t('supervise.action')}
        value={action}
        options={choices.map((name) => [name, t(`supervise.${name}` as MessageKey)] as const)}
        onChange={setAction}
        required
        error={errors.action}
      />
      {action === 'reassign' ? (
        <UnitPicker
          name="toUnit"
          label={t('supervise.toUnit')}
          value={toUnit}
          onChange={setToUnit}
          filter={(unit) => REASSIGNABLE_KINDS.has(unit.kind) && unit.id !== view.assignedUnit}
          error={errors.toUnit}
          required
        />
      ) : null}
      {/* Urge the holder or one co-handler's part; waive one outstanding part. */}
      {namesCoHandler && parts.length ? (
        <Choice
          form={formId}
          name="coHandler"
          label={action === 'waive-co-handler' ? t('co.waiveWhich') : t('supervise.coHandler')}
          value={coHandler}
          options={[
            ...(action === 'urge' ? ([['', t('supervise.coHandlerNone')]] as const) : []),
            ...parts.map((part) => [part.unit, `${unitName(part.unit)} · ${t(`co.status.${part.status}` as MessageKey)}`] as const),
          ]}
          onChange={setCoHandler}
          required={action === 'waive-co-handler'}
          error={errors.coHandler}
        />
      ) : null}
      <Field form={formId} name="note" label={t('supervise.note')} kind="textarea" value={note} onInput={setNote} limits={limitsOf(SuperviseBodySchema, 'note')} error={errors.note} />
      <SummaryOfErrors errors={errors} />
      <button type="submit" class="primary" disabled={submission.busy}>
        {t('supervise.submit')}
      </button>
      <ProblemView error={error} />
    </form>
  );
}

/** 协办: the holder brings in one or more units, with the task, a window in working days (halves allowed), and whether they need the complainant's data. */
function CoHandleForm({ view, onOutcome }: { view: ApiCase; onOutcome: (outcome: ActionOutcome) => void }) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const [units, setUnits] = useState<string[]>([]);
  const [task, setTask] = useState('');
  const [days, setDays] = useState('');
  const [share, setShare] = useState(false);
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<unknown>();
  const submission = useSubmission();
  const body = compact({
    units,
    task: task.trim(),
    workingDays: days.trim() === '' ? undefined : Number(days),
    sharePersonalData: share,
  });
  const errors = checked ? fieldErrors(CoHandleBodySchema, body, t) : {};
  const formId = 'form-co-handle';
  const unitName = (id: string) => directory?.unitName(id, lang) ?? id;

  const submit = async (event: Event) => {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(fieldErrors(CoHandleBodySchema, body, t)).length) return;
    const sent = await submitAction(submission.send, (key) => postJson(casePath(view, 'co-handlers'), body, key), 'co-handle', onOutcome, setError);
    if (sent) {
      setUnits([]);
      setTask('');
      setDays('');
      setShare(false);
      setChecked(false);
    }
  };

  return (
    <form class="action-form co-handle-form" id={formId} data-action-form="co-handle" onSubmit={submit} noValidate aria-busy={submission.busy}>
      {units.length ? (
        <ul class="chosen-units" aria-label={t('co.units')}>
          {units.map((id) => (
            <li key={id} data-chosen-unit={id}>
              {unitName(id)}{' '}
              <button type="button" class="link" onClick={() => setUnits(units.filter((unit) => unit !== id))} aria-label={t('co.remove', { unit: unitName(id) })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <UnitPicker
        name="coUnits"
        label={t('co.unitsPick')}
        value=""
        onChange={(id) => setUnits(units.includes(id) ? units : [...units, id])}
        filter={(unit) => REASSIGNABLE_KINDS.has(unit.kind) && unit.id !== view.assignedUnit && !units.includes(unit.id)}
        error={errors.units}
        required
      />
      <Field form={formId} name="task" label={t('co.taskField')} kind="textarea" value={task} onInput={setTask} limits={limitsOf(CoHandleBodySchema, 'task')} error={errors.task} />
      <Field
        form={formId}
        name="workingDays"
        label={t('co.days')}
        kind="number"
        value={days}
        onInput={setDays}
        limits={limitsOf(CoHandleBodySchema, 'workingDays')}
        error={errors.workingDays}
      />
      <label class="check" data-field="sharePersonalData">
        <input type="checkbox" form={formId} name="sharePersonalData" checked={share} onChange={(event) => setShare(event.currentTarget.checked)} /> {t('co.share')}
      </label>
      <SummaryOfErrors errors={errors} />
      <button type="submit" class="primary" disabled={submission.busy}>
        {t('action.co-handle')}
      </button>
      <ProblemView error={error} />
    </form>
  );
}

/** The complainant's erasure on request: two clicks, as nothing brings the data back. */
export function EraseComplainant({ view, onOutcome }: { view: ApiCase; onOutcome: (outcome: ActionOutcome) => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>();
  const submission = useSubmission();
  const erase = async () => {
    const done = await submitAction(
      submission.send,
      (key) => deleteResource(`/v1/cases/${encodeURIComponent(view.id)}/complainant`, key),
      'erase-complainant',
      onOutcome,
      setError,
    );
    if (done) setConfirming(false);
  };
  return (
    <div class="erase-complainant" data-action-form="erase-complainant">
      <p class="muted">{t('case.eraseExplain')}</p>
      {confirming ? (
        <>
          <button type="button" class="danger" name="erase-confirm" disabled={submission.busy} onClick={erase}>
            {t('case.eraseConfirm')}
          </button>{' '}
          <button type="button" disabled={submission.busy} onClick={() => setConfirming(false)}>
            {t('case.eraseCancel')}
          </button>
        </>
      ) : (
        <button type="button" name="erase" onClick={() => setConfirming(true)}>
          {t('case.erase')}
        </button>
      )}
      <ProblemView error={error} />
    </div>
  );
}

/** The form for one allowed action (erasing the complainant lives with the complainant's data). */
export function ActionForm({ action, view, onOutcome }: { action: string; view: ApiCase; onOutcome: (outcome: ActionOutcome) => void }) {
  if (action === 'supervise') return <SuperviseForm view={view} onOutcome={onOutcome} />;
  if (action === 'co-handle') return <CoHandleForm view={view} onOutcome={onOutcome} />;
  if (action in FORMS) return <GenericActionForm key={action} action={action} view={view} onOutcome={onOutcome} />;
  return null;
}
