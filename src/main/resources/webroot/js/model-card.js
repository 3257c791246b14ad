// The model card: name and version, its feature extractor, layer sizes, accuracies, training settings and the cost curve.
import { getJson } from './api.js';
import { showCostChart } from './cost-chart.js';
import { percent, setText, show } from './format.js';
import { modelQuery, onModelChange } from './model-picker.js';

const SPLITS = [['train', 'Training set'], ['validation', 'Validation set'], ['test', 'Test set']];

export async function initModelCard() {
  onModelChange(showCard);
  await showCard();
}

/** Describes the model the picker has chosen (the default model at first). */
async function showCard() {
  const $ = (id) => document.getElementById(id);
  const error = $('model-error');
  let model;
  try {
    model = await getJson('/api/model' + modelQuery());
  } catch (failure) {
    setText(error, `The model description could not be loaded: ${failure.message}`);
    show(error, true);
    return;
  }
  show(error, false);
  setText($('model-name'), [model.name, model.version].filter(Boolean).join(' '));
  setText($('model-features'), featuresText(model.features));
  renderLayers($('model-layers'), model.layers || []);
  renderAccuracy($('model-accuracy'), model.accuracy || {});
  renderTraining($('model-training'), model);
  const costs = (Array.isArray(model.costs) ? model.costs : [])
    .filter((p) => Number.isFinite(p.iteration) && Number.isFinite(p.cost))
    .sort((a, b) => a.iteration - b.iteration);
  const canvas = $('cost-chart');
  canvas.setAttribute('aria-label', costSummary(costs));
  setText($('cost-summary'), costSummary(costs));
  showCostChart(canvas, costs);
}

function featuresText(features) {
  if (!features || !features.extractor) {
    return 'The 64×64 picture\'s pixels themselves.';
  }
  const sha = String(features.sha256 || '').slice(0, 12);
  return `${features.extractor}: pretrained convolutional layers on the picture at ${features.inputSize}×${features.inputSize}`
    + ` (weights sha256 ${sha}…)`;
}

function renderLayers(list, layers) {
  list.replaceChildren(...layers.map((size, index) => {
    const item = document.createElement('li');
    item.className = 'layer-step';
    item.dataset.testid = 'model-layer';
    const last = index === layers.length - 1;
    const role = index === 0 ? 'inputs' : last ? (size === 1 ? 'output' : 'outputs') : 'units';
    const pill = document.createElement('span');
    pill.className = `layer ${index === 0 ? 'layer-input' : last ? 'layer-output' : 'layer-hidden'}`;
    pill.textContent = `${size.toLocaleString('en')} ${role}`;
    item.append(pill);
    return item;
  }));
}

function renderAccuracy(body, accuracy) {
  body.replaceChildren(...SPLITS.map(([key, label]) => {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    name.className = 'fw-normal';
    name.textContent = label;
    const value = document.createElement('td');
    value.className = 'text-end';
    value.dataset.split = key;
    value.textContent = Number.isFinite(accuracy[key]) ? percent(accuracy[key]) : 'not measured';
    row.append(name, value);
    return row;
  }));
}

function renderTraining(list, model) {
  // Plain settings only: nested objects (if a trainer records any) would not read well as one line.
  const entries = Object.entries(model.training || {})
    .filter(([, value]) => value !== null && typeof value !== 'object');
  if (model.createdAt) {
    entries.push(['created', new Date(model.createdAt).toLocaleDateString('en', { dateStyle: 'medium' })]);
  }
  list.replaceChildren(...entries.flatMap(([key, value]) => {
    const term = document.createElement('dt');
    term.className = 'col-6 fw-normal text-body-secondary';
    term.textContent = words(key);
    const description = document.createElement('dd');
    description.className = 'col-6 mb-1';
    description.textContent = typeof value === 'number'
      ? value.toLocaleString('en', { maximumSignificantDigits: 6 }) : String(value);
    return [term, description];
  }));
}

/** "learningRate" -> "Learning rate". */
function words(key) {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function costSummary(costs) {
  if (costs.length === 0) {
    return 'No training cost curve was recorded.';
  }
  const first = costs[0];
  const last = costs[costs.length - 1];
  return `Training cost went from ${first.cost.toFixed(3)} at iteration ${first.iteration} `
    + `to ${last.cost.toFixed(3)} at iteration ${last.iteration} (${costs.length} recorded points).`;
}
