import { useState } from 'preact/hooks';
import { useDirectory, type UnitEntry } from '../directory';
import { useI18n } from '../i18n';

/** At most this many matches are listed; typing narrows them. */
const SHOWN = 8;

/**
 * A unit, found by typing part of its name or its district (in either language) instead of
 * scrolling a flat list of every unit. The choice is a list of buttons, large enough to tap.
 */
export function UnitPicker(props: {
  name: string;
  label: string;
  value: string;
  onChange: (unit: string) => void;
  filter: (unit: UnitEntry) => boolean;
  error?: string;
  required?: boolean;
}) {
  const { t, lang } = useI18n();
  const directory = useDirectory();
  const [search, setSearch] = useState('');
  const inputId = `${props.name}-search`;
  const listId = `${props.name}-options`;
  const errorId = `${props.name}-error`;
  const chosen = props.value ? directory?.unit(props.value) : undefined;
  const nameOf = (unit: UnitEntry) => (lang === 'en' ? unit.nameEn : unit.name);
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const candidates = (directory?.units ?? []).filter(props.filter).filter((unit) => {
    const haystack = [unit.name, unit.nameEn, unit.id, directory?.districtName(unit.district, 'zh-CN') ?? '', directory?.districtName(unit.district, 'en') ?? '']
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });

  return (
    <div class={`unit-picker${props.error ? ' invalid' : ''}`} data-unit-picker={props.name}>
      <label for={inputId} class="field-label">
        {props.label}
        {props.required ? (
          <span class="req" aria-hidden="true">
            *
          </span>
        ) : null}
      </label>
      {chosen ? (
        <p class="picker-chosen" data-chosen={chosen.id}>
          <strong>{t('picker.chosen', { unit: nameOf(chosen) })}</strong>{' '}
          <span class="muted">{directory?.districtName(chosen.district, lang)}</span>
        </p>
      ) : null}
      <input
        id={inputId}
        type="search"
        name={`${props.name}-search`}
        value={search}
        autocomplete="off"
        placeholder={t('picker.search')}
        aria-controls={listId}
        aria-describedby={props.error ? errorId : undefined}
        aria-invalid={props.error ? 'true' : undefined}
        aria-required={props.required ? 'true' : undefined}
        onInput={(event) => setSearch(event.currentTarget.value)}
      />
      <p class="muted picker-count" aria-live="polite">
        {candidates.length ? t('picker.count', { count: candidates.length }) : t('picker.none')}
      </p>
      <ul id={listId} class="picker-options" aria-label={props.label}>
        {candidates.slice(0, SHOWN).map((unit) => (
          <li key={unit.id}>
            <button
              type="button"
              data-unit-option={unit.id}
              aria-pressed={unit.id === props.value}
              onClick={() => {
                props.onChange(unit.id);
                setSearch('');
              }}
            >
              <span>{nameOf(unit)}</span> <small>{directory?.districtName(unit.district, lang)}</small>
            </button>
          </li>
        ))}
      </ul>
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
