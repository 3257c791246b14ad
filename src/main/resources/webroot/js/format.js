// Small formatting helpers shared by the panels.

export function percent(fraction, digits = 1) {
  return `${(fraction * 100).toFixed(digits)} %`;
}

export function milliseconds(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return '–';
  }
  if (value < 1) {
    return 'under 1 ms';
  }
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
}

/** A PNG from the API as an <img> source: accepts a data URL or plain / URL-safe base64. */
export function pngSource(value) {
  if (typeof value !== 'string' || value === '') {
    return null;
  }
  if (value.startsWith('data:')) {
    return value;
  }
  let base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  while (base64.length % 4 !== 0) {
    base64 += '=';
  }
  return `data:image/png;base64,${base64}`;
}

/** Replaces an element's children with text, never interpreting it as HTML. */
export function setText(element, text) {
  element.textContent = text;
}

export function show(element, visible) {
  element.classList.toggle('d-none', !visible);
}
