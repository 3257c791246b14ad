// The API key, when the server wants one: asked for once in the key panel and kept for this tab only
// (sessionStorage), so it is gone when the tab closes and is never sent to another origin.

const STORAGE_NAME = 'catvsnoncat.apiKey';

let pendingKey = null;

export function storedKey() {
  try {
    return sessionStorage.getItem(STORAGE_NAME);
  } catch (storageError) {
    return null;
  }
}

/** The request's headers with the stored key added as a bearer token, when there is one. */
export function withKey(headers, key) {
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

/**
 * Resolves with a key the person typed. Every request refused at the same time waits for the same answer. A key the
 * server refused is forgotten, and the panel says so.
 */
export function askForKey(refusedKey) {
  if (refusedKey && storedKey() === refusedKey) {
    try {
      sessionStorage.removeItem(STORAGE_NAME);
    } catch (storageError) {
      // Nothing stored to remove.
    }
  }
  if (!pendingKey) {
    pendingKey = new Promise((resolve) => showPanel(Boolean(refusedKey), resolve)).finally(() => {
      pendingKey = null;
    });
  }
  return pendingKey;
}

function showPanel(refused, resolve) {
  const panel = document.getElementById('api-key-panel');
  const form = document.getElementById('api-key-form');
  const input = document.getElementById('api-key-input');
  const note = document.getElementById('api-key-refused');
  note.classList.toggle('d-none', !refused);
  panel.classList.remove('d-none');
  input.value = '';
  input.focus();
  form.addEventListener('submit', function submitted(event) {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      input.focus();
      return;
    }
    form.removeEventListener('submit', submitted);
    try {
      sessionStorage.setItem(STORAGE_NAME, key);
    } catch (storageError) {
      // Storage is off in this browser: the key lasts for this page only.
    }
    panel.classList.add('d-none');
    resolve(key);
  });
}
