/**
 * Input and output processing of a state: InputPath → Parameters → (the work) → ResultSelector →
 * ResultPath → OutputPath, with `$$` paths reading the context object.
 */
import { StatesError, STATES_RUNTIME } from './errors';
import { evaluateIntrinsic, isIntrinsicCall } from './intrinsics';
import { isObject, queryPath, ReferencePathConflict, setAtReferencePath, type PathResult } from './jsonpath';

/** Reads a path that starts with `$` (from `data`) or `$$` (from `context`). */
export function readPath(source: string, data: unknown, context: unknown): PathResult {
  return source.startsWith('$$') ? queryPath(source.slice(1), context) : queryPath(source, data);
}

export function applyInputPath(stateName: string, input: unknown, path: string | null | undefined, context: unknown): unknown {
  if (path === undefined) return input;
  if (path === null) return {};
  const result = readPath(path, input, context);
  if (!result.found) throw invalidPath(stateName, 'InputPath', path, input);
  return result.value;
}

export function applyOutputPath(stateName: string, output: unknown, path: string | null | undefined, context: unknown): unknown {
  if (path === undefined) return output;
  if (path === null) return {};
  const result = readPath(path, output, context);
  if (!result.found) throw invalidPath(stateName, 'OutputPath', path, output);
  return result.value;
}

/** ResultPath: `undefined` means `$` (the result replaces the input), `null` discards the result. */
export function applyResultPath(stateName: string, rawInput: unknown, path: string | null | undefined, result: unknown): unknown {
  if (path === null) return rawInput;
  try {
    return setAtReferencePath(rawInput, path ?? '$', result);
  } catch (error) {
    if (error instanceof ReferencePathConflict) {
      throw new StatesError(
        STATES_RUNTIME,
        `An error occurred while executing the state '${stateName}'. Unable to apply ResultPath '${path}' to input ${preview(rawInput)}: ${error.message}`,
      );
    }
    throw error;
  }
}

/**
 * A payload template (Parameters, ResultSelector, ItemSelector): fields whose name ends in `.$` take
 * their value from a path or an intrinsic function; everything else is copied, recursing into
 * objects and arrays.
 */
export function resolveTemplate(stateName: string, field: string, template: unknown, data: unknown, context: unknown): unknown {
  if (Array.isArray(template)) return template.map((item) => resolveTemplate(stateName, field, item, data, context));
  if (!isObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = resolveDynamicValue(stateName, key, value, data, context);
    } else {
      out[key] = resolveTemplate(stateName, field, value, data, context);
    }
  }
  return out;
}

export function resolveDynamicValue(stateName: string, key: string, expression: string, data: unknown, context: unknown): unknown {
  if (isIntrinsicCall(expression)) return evaluateIntrinsic(expression, data, context);
  const result = readPath(expression, data, context);
  if (!result.found) {
    throw new StatesError(
      STATES_RUNTIME,
      `An error occurred while executing the state '${stateName}'. The JSONPath '${expression}' specified for the field '${key}' could not be found in the input ${preview(data)}`,
    );
  }
  return result.value;
}

function invalidPath(stateName: string, field: string, path: string, data: unknown): StatesError {
  return new StatesError(
    STATES_RUNTIME,
    `An error occurred while executing the state '${stateName}'. Invalid path '${path}' for ${field}: No results for path in ${preview(data)}`,
  );
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 500 ? `'${text.slice(0, 500)}...'` : `'${text}'`;
}
