import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { localSettings } from './settings';
import { readSubscribers, startLocalStack } from './stack';

/** `npm start [-- --reset]`: the whole system on this machine, until Ctrl-C. */
function javaVersion(): string | undefined {
  try {
    return execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || 'java';
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    return stderr && /version/.test(stderr) ? stderr : undefined;
  }
}

async function main(): Promise<void> {
  // The console shows alerts as readable lines; request logs only when asked for (LOG_LEVEL=info).
  process.env.LOG_LEVEL ??= 'warn';
  const { values } = parseArgs({ options: { reset: { type: 'boolean', default: false } } });
  const settings = localSettings();
  if (!settings.dynamoDbEndpoint && !javaVersion()) {
    throw new Error('DynamoDB Local needs Java 17: run `sh scripts/ensure-java.sh` (Debian: apt-get install openjdk-17-jre-headless).');
  }
  const stack = await startLocalStack({
    port: settings.port,
    stateDir: settings.stateDir,
    keysDir: settings.keysDir,
    tableName: settings.tableName,
    dynamoDbPort: settings.dynamoDbPort,
    ...(settings.dynamoDbEndpoint ? { dynamoDbEndpoint: settings.dynamoDbEndpoint } : {}),
    timeScale: settings.timeScale,
    reset: values.reset,
    subscribers: readSubscribers(),
    print: (line) => console.log(line),
  });
  console.log(`
Linked resolution: local stack on ${stack.url}
  console        ${stack.url}/console/   (sign in with a unit and role)
  API            ${stack.url}/v1/openapi.json   (health: ${stack.url}/health)
  virtual clock  ${new Date(stack.clock.now()).toISOString()} x${settings.timeScale}   curl -X POST ${stack.url}/_local/clock/advance -H 'content-type: application/json' -d '{"seconds": N}'
  alerts         ${stack.url}/_local/alerts
  state          ${settings.stateDir}  (npm start -- --reset starts empty)
A token for a unit and role:
  TOKEN=$(npm run -s token -- --unit community-xiling-shengli-silu --role community)
Ctrl-C stops; every open case continues from where it was on the next start.
`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
