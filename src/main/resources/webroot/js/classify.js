// The classifier panel: takes a picture from the URL box, the file picker, drag and drop or the clipboard, asks
// /api/classify (or /api/explain when the saliency switch is on) and shows the answer.
import { ApiError, postFile, postUrl } from './api.js';
import { milliseconds, percent, pngSource, setText, show } from './format.js';
import { modelQuery } from './model-picker.js';

const CLASSIFY = '/api/classify';
const EXPLAIN = '/api/explain';
const SUPPORTED_TYPES = 'a JPEG, PNG, GIF, BMP, WebP or TIFF picture';

export function initClassifier() {
  const $ = (id) => document.getElementById(id);
  const ui = {
    form: $('url-form'), urlInput: $('url-input'), fileButton: $('file-button'), fileInput: $('file-input'),
    dropZone: $('drop-zone'), saliencyToggle: $('saliency-toggle'), status: $('status'), error: $('error'),
    busy: $('busy'), placeholder: $('result-placeholder'), result: $('result'),
    picture: $('result-picture'), pictureNote: $('result-picture-note'), label: $('result-label'),
    probabilityText: $('result-probability-text'), probabilityBar: $('result-probability-bar'),
    probabilityFill: $('result-probability-fill'), timings: $('result-timings'), model: $('result-model'),
    saliency: $('saliency'), saliencyPicture: $('saliency-picture'), saliencyOverlay: $('saliency-overlay'),
  };
  // The latest submitted picture, so the saliency switch can explain it without asking again.
  let current = null;
  // Answers to older requests that arrive late are dropped.
  let requestNumber = 0;
  let previewUrl = null;

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitUrl(ui.urlInput.value);
  });
  ui.urlInput.addEventListener('input', () => markUrlInvalid(false));
  ui.fileButton.addEventListener('click', () => ui.fileInput.click());
  ui.fileInput.addEventListener('change', () => {
    if (ui.fileInput.files.length > 0) {
      submitFile(ui.fileInput.files[0]);
    }
    // Choosing the same file again must fire 'change' again.
    ui.fileInput.value = '';
  });
  ui.saliencyToggle.addEventListener('change', () => {
    if (!ui.saliencyToggle.checked) {
      show(ui.saliency, false);
    } else if (current && current.answer && current.answer.saliency) {
      show(ui.saliency, true);
    } else if (current) {
      run(current);
    }
  });
  initDragAndDrop();
  document.addEventListener('paste', onPaste);
  document.querySelectorAll('[data-example]').forEach((button) => {
    button.addEventListener('click', () => tryExample(button.dataset.example));
  });

  /** An example picture from this server, classified as if it had been uploaded. */
  async function tryExample(path) {
    try {
      const response = await fetch(path);
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const blob = await response.blob();
      submitFile(new File([blob], path.split('/').pop(), { type: blob.type || 'image/png' }));
    } catch (error) {
      showError(`Could not load the example picture (${error.message}).`);
    }
  }

  function submitUrl(rawValue) {
    const value = rawValue.trim();
    ui.urlInput.value = value;
    const problem = urlProblem(value);
    if (problem) {
      markUrlInvalid(true);
      showError(problem);
      ui.urlInput.focus();
      return;
    }
    markUrlInvalid(false);
    run({ kind: 'url', url: value });
  }

  function submitFile(file) {
    if (file.type && !file.type.startsWith('image/')) {
      showError(`“${file.name}” is not a picture (${file.type}). Choose ${SUPPORTED_TYPES}.`);
      return;
    }
    run({ kind: 'file', file });
  }

  async function run(input) {
    const number = ++requestNumber;
    current = input;
    // A picture at a URL is only on the server: /api/explain sends back the 64x64 picture the network saw, so the
    // browser never contacts the picture's host itself (and the page's policy allows images from itself only).
    const explain = ui.saliencyToggle.checked || input.kind === 'url';
    hideError();
    show(ui.busy, true);
    ui.result.setAttribute('aria-busy', 'true');
    setText(ui.status, 'Looking at the picture…');
    const started = performance.now();
    try {
      const path = (explain ? EXPLAIN : CLASSIFY) + modelQuery();
      const answer = input.kind === 'url' ? await postUrl(path, input.url) : await postFile(path, input.file);
      if (number === requestNumber) {
        input.answer = answer;
        showAnswer(input, answer, performance.now() - started);
      }
    } catch (error) {
      if (number === requestNumber) {
        showError(`Could not classify the picture: ${messageOf(error)}`);
      }
    } finally {
      if (number === requestNumber) {
        show(ui.busy, false);
        ui.result.removeAttribute('aria-busy');
      }
    }
  }

  function showAnswer(input, answer, roundTripMs) {
    const isCat = answer.label === 'cat';
    const probability = Number(answer.probability);
    showPreview(input, answer);
    ui.label.dataset.label = answer.label;
    setText(ui.label, isCat ? 'Cat' : 'Not a cat');
    ui.label.classList.toggle('is-cat', isCat);
    ui.label.classList.toggle('is-not-cat', !isCat);
    setText(ui.probabilityText, percent(probability));
    ui.probabilityBar.setAttribute('aria-valuenow', String(Math.round(probability * 100)));
    // CSSOM, not a style attribute: allowed by a Content-Security-Policy without 'unsafe-inline'.
    ui.probabilityFill.style.width = `${(probability * 100).toFixed(1)}%`;
    ui.probabilityFill.classList.toggle('bg-success', isCat);
    ui.probabilityFill.classList.toggle('bg-secondary', !isCat);
    setText(ui.timings, timingsText(answer.timings, roundTripMs));
    const model = answer.model || {};
    const extractor = model.features ? ` on ${model.features} features` : '';
    const file = model.name ? `${model.name} ${model.version || ''}`.trim() + extractor : '';
    const served = answer.served;
    setText(ui.model, served ? `Answered by ${served.name}, version ${served.version}` + (file ? ` (${file})` : '')
      : (file ? `Model ${file}` : ''));
    showSaliency(answer);
    show(ui.placeholder, false);
    show(ui.result, true);
    setText(ui.status, `${isCat ? 'A cat' : 'Not a cat'}: probability of a cat ${percent(probability)}.`);
  }

  function showPreview(input, answer) {
    if (previewUrl) {
      URL.revokeObjectURL(previewUrl);
      previewUrl = null;
    }
    if (input.kind === 'file') {
      previewUrl = URL.createObjectURL(input.file);
      ui.picture.src = previewUrl;
      ui.picture.alt = `The picture you chose: ${input.file.name || 'pasted picture'}`;
      ui.picture.classList.remove('pixelated');
      show(ui.pictureNote, false);
    } else {
      ui.picture.src = pngSource(answer.picture) || '';
      ui.picture.alt = `The picture at ${input.url}, as the network saw it`;
      ui.picture.classList.add('pixelated');
      setText(ui.pictureNote, 'As the network saw it: 64 × 64 pixels.');
      show(ui.pictureNote, true);
    }
    show(ui.picture, ui.picture.getAttribute('src') !== '');
  }

  function showSaliency(answer) {
    const overlay = pngSource(answer.saliency);
    const picture = pngSource(answer.picture);
    if (overlay) {
      ui.saliencyOverlay.src = overlay;
    }
    if (picture) {
      ui.saliencyPicture.src = picture;
    }
    show(ui.saliency, ui.saliencyToggle.checked && overlay !== null);
  }

  function showError(message) {
    setText(ui.error, message);
    show(ui.error, true);
    // An earlier answer next to this message would look like the answer for the picture that failed.
    show(ui.result, false);
    show(ui.placeholder, false);
    setText(ui.status, '');
  }

  function hideError() {
    show(ui.error, false);
    setText(ui.error, '');
  }

  function markUrlInvalid(invalid) {
    ui.urlInput.classList.toggle('is-invalid', invalid);
    if (invalid) {
      ui.urlInput.setAttribute('aria-invalid', 'true');
    } else {
      ui.urlInput.removeAttribute('aria-invalid');
    }
  }

  function initDragAndDrop() {
    let depth = 0;
    const highlight = (on) => ui.dropZone.classList.toggle('drag-over', on);
    // The whole page takes drops, so a near miss does not make the browser open the file instead.
    document.addEventListener('dragenter', (event) => {
      if (carriesPicture(event.dataTransfer)) {
        depth += 1;
        highlight(true);
      }
    });
    document.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) {
        highlight(false);
      }
    });
    document.addEventListener('dragover', (event) => {
      if (carriesPicture(event.dataTransfer)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }
    });
    document.addEventListener('drop', (event) => {
      depth = 0;
      highlight(false);
      const data = event.dataTransfer;
      if (!carriesPicture(data)) {
        return;
      }
      event.preventDefault();
      if (data.files.length > 0) {
        submitFile(data.files[0]);
        return;
      }
      const url = firstUrl(data.getData('text/uri-list')) || data.getData('text/plain');
      ui.urlInput.value = url.trim();
      submitUrl(url);
    });
  }

  function onPaste(event) {
    const data = event.clipboardData;
    if (!data) {
      return;
    }
    const file = Array.from(data.files).find((f) => f.type.startsWith('image/'));
    if (file) {
      event.preventDefault();
      submitFile(file);
      return;
    }
    // Pasting into the URL box just fills it (Enter sends it); pasting an address anywhere else sends it at once.
    const text = data.getData('text/plain').trim();
    if (event.target !== ui.urlInput && isHttpUrl(text)) {
      event.preventDefault();
      ui.urlInput.value = text;
      submitUrl(text);
    }
  }
}

function carriesPicture(dataTransfer) {
  if (!dataTransfer) {
    return false;
  }
  const types = Array.from(dataTransfer.types);
  return types.includes('Files') || types.includes('text/uri-list') || types.includes('text/plain');
}

function firstUrl(uriList) {
  return (uriList || '').split(/\r?\n/).map((line) => line.trim()).find((line) => line && !line.startsWith('#')) || '';
}

function urlProblem(value) {
  if (value === '') {
    return 'Enter the address of a picture, for example https://example.com/cat.jpg.';
  }
  if (!isHttpUrl(value)) {
    return `“${value}” is not a web address. It should start with http:// or https://.`;
  }
  return null;
}

function isHttpUrl(text) {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch (notAUrl) {
    return false;
  }
}

function timingsText(timings, roundTripMs) {
  const parts = [`Answered in ${milliseconds(roundTripMs)}`];
  if (timings) {
    const steps = [];
    if (timings.fetchMs > 0) {
      steps.push(`download ${milliseconds(timings.fetchMs)}`);
    }
    steps.push(`decode ${milliseconds(timings.decodeMs)}`, `network ${milliseconds(timings.inferMs)}`);
    parts.push(`server ${milliseconds(timings.totalMs)}: ${steps.join(', ')}`);
  }
  return `${parts.join(' · ')}.`;
}

function messageOf(error) {
  if (error instanceof ApiError) {
    return error.message;
  }
  return 'something unexpected went wrong in this page.';
}
