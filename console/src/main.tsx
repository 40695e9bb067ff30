import './zod-config';
import { render } from 'preact';
import { App } from './app';
import { completeHostedSignIn } from './auth';
import { syncClock } from './clock';
import { loadConfig } from './config';
import { langStore } from './i18n';
import './styles.css';

async function start(): Promise<void> {
  document.documentElement.lang = langStore.get();
  await loadConfig();
  await Promise.all([completeHostedSignIn().catch(() => undefined), syncClock()]);
  render(<App />, document.getElementById('app') as HTMLElement);
}

void start();
