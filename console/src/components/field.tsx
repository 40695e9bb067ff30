import type { ComponentChildren } from 'preact';
import type { FieldLimits } from '../forms';
import { useI18n } from '../i18n';

/** A label with the required mark (a star, and "required" for screen readers through aria-required). */
export function FieldLabel({ htmlFor, label, required }: { htmlFor?: string; label: string; required: boolean }) {
  const { t } = useI18n();
  return (
    <label for={htmlFor} class="field-label">
      {label}
      {required ? (
        <span class="req" aria-hidden="true">
          *
        </span>
      ) : (
        <span class="opt"> ({t('common.optional')})</span>
      )}
    </label>
  );
}

/**
 * A text, phone or number input with its label, its limits as the API's (the length counter
 * and the maximum come from the schema), and its error once the form was checked.
 */
export function Field(props: {
  form: string;
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'tel' | 'number';
  value: string;
  onInput: (value: string) => void;
  limits: FieldLimits;
  error?: string;
  hint?: ComponentChildren;
  rows?: number;
  autocomplete?: string;
}) {
  const { t } = useI18n();
  const id = `${props.form}-${props.name.replace(/\./g, '-')}`;
  const kind = props.kind ?? 'text';
  const length = props.value.trim().length;
  const counterId = `${id}-count`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [props.error ? errorId : '', props.hint ? hintId : '', props.limits.maxLength && kind !== 'tel' ? counterId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    'aria-required': props.limits.required ? ('true' as const) : undefined,
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    onInput: (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${props.error ? ' invalid' : ''}`} data-field={props.name}>
      <FieldLabel htmlFor={id} label={props.label} required={props.limits.required} />
      {kind === 'textarea' ? (
        <textarea {...common} rows={props.rows ?? 3} />
      ) : kind === 'number' ? (
        <input {...common} type="number" inputMode="decimal" min={props.limits.min} max={props.limits.max} step={props.limits.step ?? 'any'} />
      ) : (
        <input {...common} type={kind} list={undefined} autocomplete={props.autocomplete} inputMode={kind === 'tel' ? 'tel' : undefined} />
      )}
      {props.hint ? (
        <p class="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.limits.maxLength && kind !== 'tel' ? (
        <p class={`counter${length > props.limits.maxLength ? ' over' : ''}`} id={counterId}>
          {t('common.chars', { n: length, max: props.limits.maxLength })}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** One of a few values, as radio buttons (large enough to tap). */
export function Choice(props: {
  form: string;
  name: string;
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
  onChange: (value: string) => void;
  required?: boolean;
  error?: string;
}) {
  const { t } = useI18n();
  const errorId = `${props.form}-${props.name}-error`;
  return (
    <fieldset
      class={`choice${props.error ? ' invalid' : ''}`}
      data-field={props.name}
      aria-describedby={props.error ? errorId : undefined}
      aria-invalid={props.error ? 'true' : undefined}
    >
      <legend class="field-label">
        {props.label}
        {props.required ? (
          <span class="req" aria-hidden="true">
            *
          </span>
        ) : (
          <span class="opt"> ({t('common.optional')})</span>
        )}
      </legend>
      {props.options.map(([value, text]) => (
        <label key={value} class="radio">
          <input type="radio" name={props.name} value={value} checked={props.value === value} onChange={() => props.onChange(value)} />
          {text}
        </label>
      ))}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}
