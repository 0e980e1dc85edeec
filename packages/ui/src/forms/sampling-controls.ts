import { html, type TemplateResult } from 'lit';

/** The sampling settings a person can change for a text run. */
export interface SamplingValues {
  temperature: number;
  maxOutputTokens: number;
}

/**
 * Temperature (0–2) and maximum output length (1–32,000 tokens) as labelled controls in one
 * row; `onChange` gets each new value (the length is never below 1).
 */
export function renderSamplingControls(
  values: SamplingValues,
  onChange: (change: Partial<SamplingValues>) => void,
  options: { lengthLabel?: string } = {},
): TemplateResult {
  const number = (event: Event) => Number((event.target as HTMLInputElement).value);
  return html`<div class="row">
    <label for="temperature">Temperature ${values.temperature.toFixed(1)}</label>
    <input
      id="temperature"
      type="range"
      min="0"
      max="2"
      step="0.1"
      .value=${String(values.temperature)}
      @input=${(event: Event) => {
        onChange({ temperature: number(event) });
      }}
    />
    <label for="length">${options.lengthLabel ?? 'Max length (tokens)'}</label>
    <input
      id="length"
      type="number"
      min="1"
      max="32000"
      .value=${String(values.maxOutputTokens)}
      @change=${(event: Event) => {
        onChange({ maxOutputTokens: Math.max(1, number(event) || 1) });
      }}
    />
  </div>`;
}

/** A keydown listener for a prompt field: Ctrl+Enter (⌘+Enter) runs `action`; plain Enter adds a line. */
export function onCtrlEnter(action: () => void): (event: KeyboardEvent) => void {
  return (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    action();
  };
}
