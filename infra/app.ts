import { buildApp, unacknowledgedFindings } from './build-app';

const assembly = buildApp().app.synth();
const findings = unacknowledgedFindings(assembly.directory);
if (findings.length > 0) {
  for (const finding of findings) console.error(`${finding.plugin} ${finding.rule}: ${finding.constructs.join(', ')}`);
  throw new Error(`${findings.length} unacknowledged validation finding(s): acknowledge each in code with its reason, or fix it.`);
}
