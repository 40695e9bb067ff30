import { useEffect, useRef, useState } from 'preact/hooks';
import { CreateCaseBodySchema, REPORT_CHANNELS } from '../../../../functions/domain/case';
import { INTAKE_ROLES } from '../../../../functions/domain/roles';
import { ApiProblem, postJson } from '../../api';
import { sessionStore } from '../../auth';
import { useDirectory } from '../../directory';
import { compact, fieldErrors, limitsOf, textOrUndefined, useSubmission } from '../../forms';
import { useI18n, type MessageKey } from '../../i18n';
import { hrefOf, navigate } from '../../router';
import { useStore } from '../../store';
import { formatInstant } from '../../time';
import { ProblemView } from '../../components/common';
import { Choice, Field, FieldLabel } from '../../components/field';
import { UnitPicker } from '../../components/unit-picker';

/**
 * Intake (一门受理): a community for itself, or the supervision centre for a community on the
 * hotline's behalf. Before sending, it shows where the case will go and its due dates
 * (POST /v1/cases/preview, which writes nothing). One tap makes one case: the form carries its
 * own Idempotency-Key, kept with the draft in this tab's storage, so a reload keeps both and a
 * resubmission after a lost answer gets the first answer.
 */
type Values = Record<string, string>;

interface Draft {
  readonly values: Values;
  readonly key: string;
}

interface Preview {
  readonly assignedUnit: string;
  readonly keptInCommunity: boolean;
  readonly tier: number;
  readonly signOffDueAt?: string;
  readonly resolveDueAt: string;
}

const EMPTY: Values = { routing: 'route', reportedVia: 'visit' };
const draftKey = (unit: string) => `console.draft.new-case:${unit}`;

function readDraft(unit: string): Draft | undefined {
  try {
    const stored = sessionStorage.getItem(draftKey(unit));
    return stored ? (JSON.parse(stored) as Draft) : undefined;
  } catch {
    return undefined;
  }
}

function bodyOf(values: Values, onBehalf: boolean, callerUnit: string): Record<string, unknown> {
  const origin = onBehalf ? values.originUnit || undefined : callerUnit;
  const number = (value?: string) => (value?.trim() ? Number(value) : undefined);
  const complainant = compact({ name: textOrUndefined(values.name), phone: textOrUndefined(values.phone), address: textOrUndefined(values.complainantAddress) });
  const location = compact({ address: textOrUndefined(values.locationAddress), latitude: number(values.latitude), longitude: number(values.longitude) });
  return compact({
    title: (values.title ?? '').trim(),
    description: (values.description ?? '').trim(),
    category: values.category || undefined,
    reportedVia: values.reportedVia || undefined,
    // A phone or address without a name is refused by the schema (a complainant has a name): it says so.
    complainant: Object.keys(complainant).length ? { name: complainant.name ?? '', ...complainant } : undefined,
    location: Object.keys(location).length ? location : undefined,
    assignedUnit: values.routing === 'keep' ? origin : undefined,
    originUnit: onBehalf ? origin : undefined,
  });
}

export function NewCasePage() {
  const { t, lang } = useI18n();
  const session = useStore(sessionStore);
  const directory = useDirectory();
  const unit = session?.unit ?? '';
  const onBehalf = session?.role === 'supervisor';
  const restored = useRef(readDraft(unit));
  const [values, setValues] = useState<Values>(restored.current?.values ?? EMPTY);
  const submission = useSubmission(restored.current?.key);
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<unknown>();
  const [preview, setPreview] = useState<{ body: string; result?: Preview; error?: unknown }>();

  const body = bodyOf(values, onBehalf, unit);
  const bodyText = JSON.stringify(body);
  const clientErrors = fieldErrors(CreateCaseBodySchema, body, t);
  if (onBehalf && !values.originUnit) clientErrors.originUnit = t('invalid.choose');
  const errors = checked ? clientErrors : {};
  const valid = Object.keys(clientErrors).length === 0;

  // The draft (with its key) survives a reload of this tab.
  useEffect(() => {
    try {
      sessionStorage.setItem(draftKey(unit), JSON.stringify({ values, key: submission.key() } satisfies Draft));
    } catch {
      // storage full or off: the form still works, without a draft
    }
  }, [bodyText, values.routing]);

  // Where it would go, asked again whenever a valid form changes (after a pause in typing).
  useEffect(() => {
    if (!valid) return;
    let live = true;
    const timer = setTimeout(() => {
      setPreview({ body: bodyText });
      postJson<Preview>('/v1/cases/preview', body).then(
        (answer) => live && setPreview({ body: bodyText, result: answer.body }),
        (failure: unknown) => live && setPreview({ body: bodyText, error: failure }),
      );
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bodyText, valid]);

  if (!session || !INTAKE_ROLES.includes(session.role as (typeof INTAKE_ROLES)[number])) {
    return (
      <main id="main" tabIndex={-1}>
        <p class="problem">{t('problem.next.403')}</p>
      </main>
    );
  }

  const set = (name: string) => (value: string) => setValues((previous) => ({ ...previous, [name]: value }));
  const limits = (path: string) => limitsOf(CreateCaseBodySchema, path);
  const category = directory?.categories.find((entry) => entry.id === values.category);
  const formId = 'new-case';

  const submit = async (event: Event) => {
    event.preventDefault();
    setChecked(true);
    setError(undefined);
    if (!valid) return;
    const result = await submission.send((key) => postJson<{ id: string }>('/v1/cases', body, key));
    if (!result) return;
    if (result.ok) {
      sessionStorage.removeItem(draftKey(unit));
      navigate(hrefOf({ page: 'case', id: result.value.body.id }));
    } else {
      setError(result.error);
    }
  };

  const discard = () => {
    sessionStorage.removeItem(draftKey(unit));
    restored.current = undefined;
    setValues(EMPTY);
    setChecked(false);
    setError(undefined);
  };

  const lost = error instanceof ApiProblem && (error.status === 0 || error.status >= 500);
  const shownPreview = preview && preview.body === bodyText && valid ? preview : undefined;

  return (
    <main class="new-case" id="main" tabIndex={-1}>
      <h1>{t('intake.title')}</h1>
      {restored.current && Object.keys(restored.current.values).length > 2 ? (
        <p class="notice" role="status">
          {t('intake.draftRestored')}{' '}
          <button type="button" class="link" onClick={discard} data-action="discard-draft">
            {t('intake.discard')}
          </button>
        </p>
      ) : null}
      <form id={formId} class="intake-form panel" onSubmit={submit} noValidate aria-busy={submission.busy} data-key={submission.key()}>
        <p class="muted required-legend">
          <span class="req" aria-hidden="true">
            *
          </span>{' '}
          {t('common.required')}
        </p>
        {onBehalf ? (
          <UnitPicker
            name="originUnit"
            label={t('intake.onBehalf')}
            value={values.originUnit ?? ''}
            onChange={set('originUnit')}
            filter={(entry) => entry.kind === 'community'}
            error={errors.originUnit}
            required
          />
        ) : null}
        <div class={`field${errors.category ? ' invalid' : ''}`} data-field="category">
          <FieldLabel htmlFor={`${formId}-category`} label={t('intake.category')} required />
          <select
            id={`${formId}-category`}
            name="category"
            value={values.category ?? ''}
            aria-required="true"
            aria-invalid={errors.category ? 'true' : undefined}
            aria-describedby={`${formId}-category-windows${errors.category ? ` ${formId}-category-error` : ''}`}
            onChange={(event) => set('category')(event.currentTarget.value)}
          >
            <option value="">{t('intake.chooseCategory')}</option>
            {(directory?.categories ?? []).map((entry) => (
              <option key={entry.id} value={entry.id}>
                {lang === 'en' ? entry.nameEn : entry.name}
              </option>
            ))}
          </select>
          <p class="field-hint" id={`${formId}-category-windows`} aria-live="polite" data-windows>
            {category ? t('intake.windows', { signOff: category.signOffWorkingDays, handling: category.handlingWorkingDays }) : ''}
          </p>
          {errors.category ? (
            <p class="field-error" id={`${formId}-category-error`}>
              {errors.category}
            </p>
          ) : null}
        </div>
        <Field form={formId} name="title" label={t('intake.caseTitle')} value={values.title ?? ''} onInput={set('title')} limits={limits('title')} error={errors.title} />
        <Field
          form={formId}
          name="description"
          label={t('intake.description')}
          kind="textarea"
          rows={4}
          value={values.description ?? ''}
          onInput={set('description')}
          limits={limits('description')}
          error={errors.description}
        />
        <div class="field" data-field="reportedVia">
          <FieldLabel htmlFor={`${formId}-reportedVia`} label={t('intake.reportedVia')} required />
          <select id={`${formId}-reportedVia`} name="reportedVia" value={values.reportedVia ?? ''} aria-required="true" onChange={(event) => set('reportedVia')(event.currentTarget.value)}>
            {REPORT_CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {t(`via.${channel}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="group personal" aria-describedby={`${formId}-personal`}>
          <legend>{t('intake.complainant')}</legend>
          <p class="personal-note" id={`${formId}-personal`}>
            {t('intake.personal')}
          </p>
          <Field form={formId} name="name" label={t('case.name')} value={values.name ?? ''} onInput={set('name')} limits={{ ...limits('complainant.name'), required: false }} error={errors['complainant.name']} autocomplete="off" />
          <Field form={formId} name="phone" label={t('case.phone')} kind="tel" value={values.phone ?? ''} onInput={set('phone')} limits={limits('complainant.phone')} error={errors['complainant.phone']} autocomplete="off" />
          <Field
            form={formId}
            name="complainantAddress"
            label={t('case.address')}
            value={values.complainantAddress ?? ''}
            onInput={set('complainantAddress')}
            limits={limits('complainant.address')}
            error={errors['complainant.address']}
            autocomplete="off"
          />
        </fieldset>
        <fieldset class="group">
          <legend>{t('intake.location')}</legend>
          <Field
            form={formId}
            name="locationAddress"
            label={t('intake.locationAddress')}
            value={values.locationAddress ?? ''}
            onInput={set('locationAddress')}
            limits={limits('location.address')}
            error={errors['location.address']}
          />
          <div class="pair">
            <Field form={formId} name="latitude" label={t('intake.latitude')} kind="number" value={values.latitude ?? ''} onInput={set('latitude')} limits={limits('location.latitude')} error={errors['location.latitude']} />
            <Field form={formId} name="longitude" label={t('intake.longitude')} kind="number" value={values.longitude ?? ''} onInput={set('longitude')} limits={limits('location.longitude')} error={errors['location.longitude']} />
          </div>
        </fieldset>
        <Choice
          form={formId}
          name="routing"
          label={t('intake.routing')}
          value={values.routing ?? 'route'}
          options={[
            ['route', t('intake.route')],
            ['keep', t('intake.keep')],
          ]}
          onChange={set('routing')}
          required
        />
        <div class="preview" aria-live="polite" data-preview={shownPreview?.result ? 'ready' : 'pending'}>
          {!valid ? <p class="muted">{t('intake.previewPending')}</p> : null}
          {valid && !shownPreview?.result && !shownPreview?.error ? <p class="muted">{t('intake.previewLoading')}</p> : null}
          {shownPreview?.result ? (
            <div class="preview-result" data-assigned={shownPreview.result.assignedUnit} data-kept={String(shownPreview.result.keptInCommunity)}>
              <p>
                <strong>
                  {shownPreview.result.keptInCommunity
                    ? t('intake.previewKept', { unit: directory?.unitName(shownPreview.result.assignedUnit, lang) ?? shownPreview.result.assignedUnit })
                    : t('intake.preview', {
                        unit: directory?.unitName(shownPreview.result.assignedUnit, lang) ?? shownPreview.result.assignedUnit,
                        tier: t(`tier.${shownPreview.result.tier}` as MessageKey),
                      })}
                </strong>
              </p>
              <ul>
                {shownPreview.result.signOffDueAt ? <li>{t('intake.previewSignOff', { time: formatInstant(shownPreview.result.signOffDueAt) })}</li> : null}
                <li>{t('intake.previewResolve', { time: formatInstant(shownPreview.result.resolveDueAt) })}</li>
              </ul>
            </div>
          ) : null}
          {shownPreview?.error ? <ProblemView error={shownPreview.error} /> : null}
        </div>
        {checked && !valid ? (
          <p class="problem form-invalid" role="alert">
            {t('invalid.summary', { count: Object.keys(clientErrors).length })}
          </p>
        ) : null}
        <div class="form-actions">
          <button type="submit" class="primary big" disabled={submission.busy} data-action="submit-case">
            {t('intake.submit')}
          </button>
        </div>
        <ProblemView error={error} />
        {lost ? <p class="notice">{t('intake.retrySafe')}</p> : null}
      </form>
    </main>
  );
}

