/**
 * A mermaid flowchart of an ASL definition: one node per state, one edge per transition
 * (Next, Choice rules and Default, Catch, End). The workflow diagram in docs/workflow.md is this
 * function's output, so it is drawn from the definition and cannot drift from it.
 */
interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Next: string; Variable?: string; StringEquals?: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
}
interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

const SHAPES: Record<string, [string, string]> = {
  Choice: ['{', '}'],
  Succeed: ['([', '])'],
  Fail: ['([', '])'],
  Map: ['[[', ']]'],
  Parallel: ['[[', ']]'],
};

export function aslToMermaid(definitionJson: string): string {
  const definition = JSON.parse(definitionJson) as AslDefinition;
  const lines = ['flowchart TD', `  start((start)) --> ${definition.StartAt}`];
  for (const [name, state] of Object.entries(definition.States)) {
    const [open, close] = SHAPES[state.Type] ?? ['[', ']'];
    lines.push(`  ${name}${open}"${name}"${close}`);
  }
  for (const [name, state] of Object.entries(definition.States)) {
    for (const choice of state.Choices ?? []) {
      const label = choice.StringEquals !== undefined ? choice.StringEquals : 'match';
      lines.push(`  ${name} -->|${label}| ${choice.Next}`);
    }
    if (state.Default) lines.push(`  ${name} -->|otherwise| ${state.Default}`);
    for (const rule of state.Catch ?? []) lines.push(`  ${name} -.->|${rule.ErrorEquals.join(', ')}| ${rule.Next}`);
    if (state.Next) lines.push(`  ${name} --> ${state.Next}`);
  }
  return lines.join('\n');
}
