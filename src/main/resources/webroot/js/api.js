// Calls to the HTTP API. Every failure becomes an ApiError whose message a person can read: the server's own
// {"error": "..."} text when there is one, otherwise a sentence about what went wrong. When the server wants an API
// key (401 with WWW-Authenticate), the page asks for one and sends the request again with it.
import { askForKey, storedKey, withKey } from './api-key.js';

export class ApiError extends Error {
  constructor(message, status, retryAfterSeconds) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const FALLBACK_MESSAGES = {
  400: 'The request was not understood.',
  413: 'The picture is too large.',
  415: 'That kind of file is not supported. Use a JPEG, PNG, GIF, BMP, WebP or TIFF picture.',
  422: 'The picture could not be read.',
  502: 'The picture could not be fetched from that address.',
  503: 'The service is busy right now.',
  504: 'That took too long.',
};

export async function getJson(path) {
  return send(path, { headers: { Accept: 'application/json' } });
}

/** Classifies (or explains, with saliency) a picture at an http(s) address. */
export async function postUrl(path, url) {
  return send(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ url }),
  });
}

/** Classifies (or explains) a picture file: the raw bytes, or multipart when the browser does not know its type. */
export async function postFile(path, file) {
  if (file.type) {
    return send(path, {
      method: 'POST',
      headers: { 'Content-Type': file.type, Accept: 'application/json' },
      body: file,
    });
  }
  const form = new FormData();
  form.append('image', file, file.name || 'image');
  return send(path, { method: 'POST', headers: { Accept: 'application/json' }, body: form });
}

async function send(path, init) {
  let key = storedKey();
  let response = await fetchWithKey(path, init, key);
  while (response.status === 401 && response.headers.has('WWW-Authenticate')) {
    // Another request may have got a key while this one was on its way: try that before asking.
    key = storedKey() && storedKey() !== key ? storedKey() : await askForKey(key);
    response = await fetchWithKey(path, init, key);
  }
  const body = await readJson(response);
  if (response.ok && body !== undefined) {
    return body;
  }
  if (response.ok) {
    throw new ApiError('The server sent an answer this page cannot read.', response.status);
  }
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  const serverText = body && typeof body.error === 'string' && body.error.trim() ? body.error.trim() : null;
  let message = serverText || FALLBACK_MESSAGES[response.status]
    || `The server answered with status ${response.status}.`;
  if (response.status === 503 && retryAfter !== undefined) {
    message += ` Please try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`;
  }
  throw new ApiError(message, response.status, retryAfter);
}

async function fetchWithKey(path, init, key) {
  try {
    return await fetch(path, { ...init, headers: withKey(init.headers, key) });
  } catch (networkError) {
    throw new ApiError('The server could not be reached. Check your connection and try again.', 0);
  }
}

async function readJson(response) {
  const type = response.headers.get('Content-Type') || '';
  if (!type.includes('json')) {
    return undefined;
  }
  try {
    return await response.json();
  } catch (parseError) {
    return undefined;
  }
}

function parseRetryAfter(value) {
  if (value === null) {
    return undefined;
  }
  const seconds = Number.parseInt(value, 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
