// The weather panel: the configured cities from /api/weather, each with an icon drawn by this page.
import { getJson } from './api.js';
import { milliseconds, setText, show } from './format.js';

/** The icon names of the weather API (WeatherApi.ICONS), each a symbol in the sprite. */
const ICONS = new Set(['clear', 'partly-cloudy', 'cloudy', 'fog', 'drizzle', 'rain', 'snow', 'thunderstorm',
  'unknown']);
const SPRITE = 'img/weather-icons.svg';
const SVG_NS = 'http://www.w3.org/2000/svg';

export function initWeather() {
  const list = document.getElementById('weather-list');
  const summary = document.getElementById('weather-summary');
  const error = document.getElementById('weather-error');
  const refresh = document.getElementById('weather-refresh');

  async function load() {
    list.setAttribute('aria-busy', 'true');
    refresh.disabled = true;
    try {
      const weather = await getJson('/api/weather');
      show(error, false);
      render(list, weather.cities || []);
      setText(summary, summaryText(weather));
    } catch (failure) {
      setText(error, `The weather could not be loaded: ${failure.message}`);
      show(error, true);
      list.replaceChildren();
      setText(summary, '');
    } finally {
      list.setAttribute('aria-busy', 'false');
      refresh.disabled = false;
    }
  }

  refresh.addEventListener('click', load);
  load();
}

function render(list, cities) {
  list.replaceChildren(...cities.map(cityItem));
  if (cities.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'text-body-secondary';
    empty.textContent = 'No cities are configured.';
    list.append(empty);
  }
}

function cityItem(city) {
  const item = document.createElement('li');
  item.className = 'weather-city';
  item.dataset.testid = 'weather-city';
  item.dataset.city = city.name;

  const failed = typeof city.error === 'string';
  item.append(icon(failed ? 'unknown' : city.icon));

  const text = document.createElement('div');
  text.className = 'weather-text';
  const name = document.createElement('div');
  name.className = 'weather-name fw-semibold';
  name.textContent = city.name;
  if (city.stale) {
    const stale = document.createElement('span');
    stale.className = 'badge text-bg-warning ms-2 weather-stale';
    stale.dataset.testid = 'weather-stale';
    stale.textContent = 'earlier reading';
    stale.title = 'The provider did not answer; this is the last reading we had.';
    name.append(stale);
  }
  text.append(name);

  const detail = document.createElement('div');
  detail.className = 'small';
  if (failed) {
    detail.classList.add('text-danger-emphasis', 'weather-city-error');
    detail.dataset.testid = 'weather-city-error';
    detail.textContent = city.error;
  } else {
    detail.classList.add('text-body-secondary', 'weather-condition');
    detail.textContent = city.condition || '';
  }
  text.append(detail);
  item.append(text);

  if (!failed) {
    const readings = document.createElement('div');
    readings.className = 'weather-readings text-end';
    const temperature = document.createElement('div');
    temperature.className = 'weather-temperature fs-5';
    temperature.dataset.testid = 'weather-temperature';
    temperature.textContent = Number.isFinite(city.temperature) ? `${city.temperature.toFixed(1)} °C` : '–';
    const humidity = document.createElement('div');
    humidity.className = 'weather-humidity small text-body-secondary';
    humidity.dataset.testid = 'weather-humidity';
    humidity.textContent = Number.isFinite(city.humidity) ? `humidity ${Math.round(city.humidity)} %` : '';
    readings.append(temperature, humidity);
    item.append(readings);
  }
  return item;
}

function icon(name) {
  const known = ICONS.has(name) ? name : 'unknown';
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', `weather-icon weather-icon-${known}`);
  svg.setAttribute('viewBox', '0 0 48 48');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute('href', `${SPRITE}#${known}`);
  svg.append(use);
  return svg;
}

function summaryText(weather) {
  const count = (weather.cities || []).length;
  const parts = [`${count} ${count === 1 ? 'city' : 'cities'} fetched in ${milliseconds(weather.elapsedMs)}`];
  if (Number.isFinite(weather.concurrency)) {
    parts.push(`at most ${weather.concurrency} at once`);
  }
  if (weather.provider) {
    parts.push(`from ${weather.provider}`);
  }
  return `${parts.join(', ')}.`;
}
