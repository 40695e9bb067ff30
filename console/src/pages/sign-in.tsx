import { useState } from 'preact/hooks';
import { sessionFromToken, signInLocally, signInNotice, startHostedSignIn, startSession } from '../auth';
import { config } from '../config';
import { useDirectory } from '../directory';
import { useI18n, type MessageKey } from '../i18n';
import { useStore } from '../store';
import { UnitPicker } from '../components/unit-picker';
import { ROLE_OF_UNIT_KIND, type Role } from '../../../functions/domain/roles';

/** Listed city-wide roles first: they are who signs in to the console most. */
export const ROLES = ['supervisor', 'operator', 'auditor', 'community', 'agency', 'district-office', 'city-office', 'conference', 'mediator'] as const satisfies readonly Role[];


function LocalPicker() {
  const { t } = useI18n();
  const directory = useDirectory();
  const [unit, setUnit] = useState('supervision-centre');
  const [role, setRole] = useState('supervisor');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

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
      <UnitPicker
        name="unit"
        label={t('signIn.unit')}
        value={unit}
        filter={() => true}
        onChange={(next) => {
          setUnit(next);
          const kind = directory?.unit(next)?.kind;
          if (kind && kind in ROLE_OF_UNIT_KIND) setRole(ROLE_OF_UNIT_KIND[kind as keyof typeof ROLE_OF_UNIT_KIND]);
        }}
        required
      />
      <label for="sign-in-role" class="field-label">
        {t('signIn.role')}
      </label>
      <select id="sign-in-role" name="role" value={role} onChange={(event) => setRole(event.currentTarget.value)}>
          {ROLES.map((entry) => (
            <option key={entry} value={entry}>
              {t(`role.${entry}` as MessageKey)}
            </option>
          ))}
      </select>
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
