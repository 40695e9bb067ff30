import { useState } from 'preact/hooks';
import type { PublicStatus } from '../../../../functions/domain/public-status';
import { EVALUATION_RATINGS } from '../../../../functions/domain/case';
import { TrackEvaluationBodySchema, TrackReopenBodySchema } from '../../../../functions/api/citizen-bodies';
import { ApiProblem, request } from '../../api';
import { useI18n, type MessageKey } from '../../i18n';

/**
 * The complainant's two forms on the public status page: rate the result, and ask to reopen a
 * closed case, each with the PIN from the result SMS. Sent with no token (public routes); the
 * API's refusal (a wrong PIN, the lock with its minutes, a second rating, the window over) is
 * shown as it says it. The PIN is never kept: the fields are cleared once a form is sent.
 */
const PIN = /^\d{6}$/;

function useSend(done: (notice: string) => void, notice: MessageKey) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [sent, setSent] = useState(false);
  const send = async (path: string, body: unknown) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await request('POST', path, { body, anonymous: true });
      setSent(true);
      done(t(notice));
    } catch (error) {
      setProblem(error instanceof ApiProblem ? error.detail || error.title : t('track.failed'));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, sent, send };
}

function PinField({ id, value, invalid, onInput }: { id: string; value: string; invalid: boolean; onInput: (value: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <label for={id} class="field-label">
        {t('track.pin')}
      </label>
      <input
        id={id}
        name="pin"
        type="text"
        inputMode="numeric"
        autocomplete="one-time-code"
        maxLength={8}
        value={value}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {invalid ? (
        <p class="field-error" id={`${id}-error`}>
          {t('track.pinFormat')}
        </p>
      ) : null}
    </>
  );
}

function RateForm({ code, onDone }: { code: string; onDone: (notice: string) => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [rating, setRating] = useState<string>('satisfied');
  const [comment, setComment] = useState('');
  const [invalid, setInvalid] = useState(false);
  const { busy, problem, sent, send } = useSend(onDone, 'track.rate.done');
  if (sent) return null;
  const submit = (event: Event) => {
    event.preventDefault();
    const body = { pin: pin.replace(/[\s-]/g, ''), rating, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    const ok = PIN.test(body.pin) && TrackEvaluationBodySchema.safeParse(body).success;
    setInvalid(!ok);
    if (ok) void send(`/v1/track/${encodeURIComponent(code)}/evaluation`, body).then(() => setPin(''));
  };
  return (
    <form class="panel citizen-form" data-citizen-form="evaluation" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby="rate-heading">
      <h2 id="rate-heading">{t('track.rate.title')}</h2>
      <p class="muted">{t('track.rate.intro')}</p>
      <PinField id="rate-pin" value={pin} invalid={invalid} onInput={setPin} />
      <fieldset class="choices">
        <legend class="field-label">{t('track.rating')}</legend>
        {EVALUATION_RATINGS.map((value) => (
          <label key={value} class="choice">
            <input type="radio" name="rating" value={value} checked={rating === value} onChange={() => setRating(value)} /> {t(`rating.${value}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      <label for="rate-comment" class="field-label">
        {t('track.comment')}
      </label>
      <textarea id="rate-comment" name="comment" maxLength={2000} value={comment} onInput={(event) => setComment(event.currentTarget.value)} />
      {problem ? (
        <p class="problem" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={busy}>
        {t('track.rate.submit')}
      </button>
    </form>
  );
}

function ReopenForm({ code, onDone }: { code: string; onDone: (notice: string) => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<{ pin?: boolean; reason?: boolean }>({});
  const { busy, problem, sent, send } = useSend(onDone, 'track.reopen.done');
  if (sent) return null;
  const submit = (event: Event) => {
    event.preventDefault();
    const body = { pin: pin.replace(/[\s-]/g, ''), reason: reason.trim() };
    const wrong = { pin: !PIN.test(body.pin), reason: !TrackReopenBodySchema.safeParse({ pin: '0', reason: body.reason }).success };
    setInvalid(wrong);
    if (!wrong.pin && !wrong.reason) void send(`/v1/track/${encodeURIComponent(code)}/reopen`, body).then(() => setPin(''));
  };
  return (
    <form class="panel citizen-form" data-citizen-form="reopen" onSubmit={submit} noValidate aria-busy={busy} aria-labelledby="reopen-heading">
      <h2 id="reopen-heading">{t('track.reopen.title')}</h2>
      <p class="muted">{t('track.reopen.intro')}</p>
      <PinField id="reopen-pin" value={pin} invalid={invalid.pin === true} onInput={setPin} />
      <label for="reopen-reason" class="field-label">
        {t('track.reason')}
      </label>
      <textarea
        id="reopen-reason"
        name="reason"
        maxLength={2000}
        value={reason}
        aria-invalid={invalid.reason ? 'true' : undefined}
        aria-describedby={invalid.reason ? 'reopen-reason-error' : undefined}
        onInput={(event) => setReason(event.currentTarget.value)}
      />
      {invalid.reason ? (
        <p class="field-error" id="reopen-reason-error">
          {t('track.reasonRequired')}
        </p>
      ) : null}
      {problem ? (
        <p class="problem" role="alert">
          {problem}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={busy}>
        {t('track.reopen.submit')}
      </button>
    </form>
  );
}

/** The forms that fit the stage: rating once a result is reported, reopening once the case is closed. */
export function CitizenForms({ status, onDone }: { status: PublicStatus; onDone: (notice: string) => void }) {
  if (status.stage !== 'resolved' && status.stage !== 'closed') return null;
  return (
    <>
      <RateForm code={status.trackingCode} onDone={onDone} />
      {status.stage === 'closed' ? <ReopenForm code={status.trackingCode} onDone={onDone} /> : null}
    </>
  );
}
