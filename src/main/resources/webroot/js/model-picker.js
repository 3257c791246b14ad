// The model picker: the served models and their versions (/api/models). The choice goes with every classification
// (?model=&version=) and the model card follows it; "Default" lets the server pick (its default model's highest
// version). With one model and one version there is nothing to pick, so the picker stays hidden.
import { getJson } from './api.js';
import { show } from './format.js';

const listeners = [];
let choice = { model: '', version: '' };

/** The query string of the current choice, '' for the default. */
export function modelQuery() {
  if (!choice.model) {
    return '';
  }
  return `?model=${encodeURIComponent(choice.model)}&version=${encodeURIComponent(choice.version)}`;
}

/** Calls {@code listener} after each change of choice. */
export function onModelChange(listener) {
  listeners.push(listener);
}

export async function initModelPicker() {
  const picker = document.getElementById('model-picker');
  const select = document.getElementById('model-select');
  let list;
  try {
    list = await getJson('/api/models');
  } catch {
    return; // the classifier answers with its default model; the card and the classifier say what went wrong
  }
  const models = Array.isArray(list.models) ? list.models : [];
  select.replaceChildren(new Option(`Default (${list.defaultModel})`, ''));
  for (const model of models) {
    for (const version of model.versions || []) {
      const option = new Option(`${model.name}, version ${version}`, `${model.name}\n${version}`);
      option.dataset.model = model.name;
      option.dataset.version = version;
      select.append(option);
    }
  }
  select.addEventListener('change', () => {
    const option = select.selectedOptions[0];
    choice = { model: option.dataset.model || '', version: option.dataset.version || '' };
    listeners.forEach((listener) => listener());
  });
  show(picker, select.options.length > 2);
}
