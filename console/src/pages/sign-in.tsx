import { useState } from 'preact/hooks';
import { sessionFromToken, signInLocally, signInNotice, startHostedSignIn, startSession } from '../auth';
import { config } from '../config';
import { useDirectory } from '../directory';
import { useI18n, type MessageKey } from '../i18n';
import { useStore } from '../store';
import { ROLE_OF_UNIT_KIND, type Role } from '../../../functions/domain/roles';

/** Listed city-wide roles first: they are who signs in to the console most. */
export const ROLES = ['supervisor', 'operator', 'auditor', 'community', 'agency', 'district-office', 'city-office', 'conference'] as const satisfies readonly Role[];

const KIND_ORDER = ['supervision-centre', 'joint-conference', 'city-office', 'district-office', 'city-department', 'district-department', 'street-office', 'community'];

function LocalPicker() {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const [unit, setUnit] = useState('supervision-centre');
  const [role, setRole] = useState('supervisor');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const units = [...(directory?.units ?? [])].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signInLocally(unit, role);
    } catch (failure) {
      setError(t('signIn.failed', { detail: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="sign-in-picker" onSubmit={submit}>
      <label>
        {t('signIn.unit')}
        <select
          name="unit"
          value={unit}
          onChange={(event) => {
            const next = event.currentTarget.value;
            setUnit(next);
            const kind = directory?.unit(next)?.kind;
            if (kind && kind in ROLE_OF_UNIT_KIND) setRole(ROLE_OF_UNIT_KIND[kind as keyof typeof ROLE_OF_UNIT_KIND]);
          }}
        >
          {units.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {lang === 'en' ? entry.nameEn : entry.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('signIn.role')}
        <select name="role" value={role} onChange={(event) => setRole(event.currentTarget.value)}>
          {ROLES.map((entry) => (
            <option key={entry} value={entry}>
              {t(`role.${entry}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary" disabled={busy || !directory}>
        {t('signIn.pick')}
      </button>
      {error ? <p class="problem" role="alert">{error}</p> : null}
    </form>
  );
}

function TokenPaste() {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const submit = (event: Event) => {
    event.preventDefault();
    const session = sessionFromToken(token);
    if (!session) {
      setError(t('signIn.badToken'));
      return;
    }
    startSession(session);
  };
  return (
    <form class="sign-in-token" onSubmit={submit}>
      <label>
        {t('signIn.token')}
        <textarea name="token" rows={3} spellcheck={false} value={token} onInput={(event) => setToken(event.currentTarget.value)} />
      </label>
      <button type="submit">{t('signIn.paste')}</button>
      {error ? <p class="problem" role="alert">{error}</p> : null}
    </form>
  );
}

export function SignInPage() {
  const { t } = useI18n();
  const notice = useStore(signInNotice);
  const auth = config().auth;
  return (
    <main class="sign-in" id="main" tabIndex={-1}>
      <section class="panel">
        <h1>{t('signIn.title')}</h1>
        {notice ? (
          <p class="problem" role="alert">
            {notice === 'expired' ? t('problem.signedOut') : t('signIn.failed', { detail: notice })}
          </p>
        ) : null}
        {auth.mode === 'cognito' ? (
          <>
            <p>{t('signIn.cognitoIntro')}</p>
            <button type="button" class="primary" onClick={() => void startHostedSignIn(auth)}>
              {t('signIn.cognito')}
            </button>
          </>
        ) : null}
        {auth.mode === 'local' ? (
          <>
            <p class="muted">{t('signIn.intro')}</p>
            <LocalPicker />
          </>
        ) : null}
        <p class="or">{t('signIn.or')}</p>
        <TokenPaste />
      </section>
    </main>
  );
}
