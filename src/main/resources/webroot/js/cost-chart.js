// The training cost curve drawn on a <canvas>: axes with round-number ticks, a grid and the curve, in the page's
// current colours, redrawn when the canvas is resized or the colour scheme changes.

const MARGIN = { top: 12, right: 28, bottom: 40, left: 56 };
const TARGET_TICKS = 5;

/** Draws the curve now and keeps it drawn. points: [{iteration, cost}] with finite values, by iteration. */
export function showCostChart(canvas, points) {
  const redraw = () => draw(canvas, points);
  redraw();
  new ResizeObserver(redraw).observe(canvas);
  new MutationObserver(redraw)
    .observe(document.documentElement, { attributes: true, attributeFilter: ['data-bs-theme'] });
}

function draw(canvas, points) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0 || height === 0) {
    return;
  }
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.setTransform(ratio, 0, 0, ratio, 0, 0);
  g.clearRect(0, 0, width, height);

  const colours = themeColours();
  g.font = `12px ${colours.font}`;
  if (points.length === 0) {
    g.fillStyle = colours.muted;
    g.textAlign = 'center';
    g.fillText('No cost curve was recorded for this model.', width / 2, height / 2);
    canvas.dataset.points = '0';
    return;
  }

  const xMax = Math.max(1, points[points.length - 1].iteration);
  const xTicks = niceTicks(points[0].iteration, xMax);
  const yTicks = niceTicks(0, Math.max(...points.map((p) => p.cost)));
  const x0 = xTicks[0];
  const x1 = xTicks[xTicks.length - 1];
  const y1 = yTicks[yTicks.length - 1];
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const sx = (x) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotWidth;
  const sy = (y) => MARGIN.top + plotHeight - (y / (y1 || 1)) * plotHeight;

  // Grid and tick labels.
  g.lineWidth = 1;
  g.strokeStyle = colours.grid;
  g.fillStyle = colours.muted;
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  for (const y of yTicks) {
    const py = Math.round(sy(y)) + 0.5;
    line(g, MARGIN.left, py, MARGIN.left + plotWidth, py);
    g.fillText(formatTick(y), MARGIN.left - 6, py);
  }
  g.textAlign = 'center';
  g.textBaseline = 'top';
  for (const x of xTicks) {
    const px = Math.round(sx(x)) + 0.5;
    line(g, px, MARGIN.top, px, MARGIN.top + plotHeight);
    g.fillText(formatTick(x), px, MARGIN.top + plotHeight + 6);
  }

  // Axis titles.
  g.fillStyle = colours.text;
  g.fillText('iteration', MARGIN.left + plotWidth / 2, height - 16);
  g.save();
  g.translate(14, MARGIN.top + plotHeight / 2);
  g.rotate(-Math.PI / 2);
  g.textBaseline = 'middle';
  g.fillText('cost', 0, 0);
  g.restore();

  // The curve, with a dot per recorded point when there are few enough to see them.
  g.strokeStyle = colours.line;
  g.lineWidth = 2;
  g.lineJoin = 'round';
  g.beginPath();
  points.forEach((p, i) => (i === 0 ? g.moveTo(sx(p.iteration), sy(p.cost)) : g.lineTo(sx(p.iteration), sy(p.cost))));
  g.stroke();
  if (points.length <= 60) {
    g.fillStyle = colours.line;
    for (const p of points) {
      g.beginPath();
      g.arc(sx(p.iteration), sy(p.cost), 2.5, 0, 2 * Math.PI);
      g.fill();
    }
  }
  canvas.dataset.points = String(points.length);
}

function line(g, xa, ya, xb, yb) {
  g.beginPath();
  g.moveTo(xa, ya);
  g.lineTo(xb, yb);
  g.stroke();
}

/** Round-number ticks (1, 2 or 5 times a power of ten) covering [low, high]. */
function niceTicks(low, high) {
  const span = high - low || Math.abs(high) || 1;
  const rough = span / TARGET_TICKS;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  const start = Math.floor(low / step) * step;
  const ticks = [];
  for (let t = start; t < high + step * 0.999; t += step) {
    ticks.push(Number(t.toPrecision(12)));
  }
  return ticks.length > 1 ? ticks : [start, start + step];
}

function formatTick(value) {
  return Math.abs(value) >= 1000 ? value.toLocaleString('en') : String(value);
}

function themeColours() {
  const style = getComputedStyle(document.documentElement);
  const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--bs-body-color', '#212529'),
    muted: read('--bs-secondary-color', '#6c757d'),
    grid: read('--bs-border-color', '#dee2e6'),
    line: read('--bs-primary', '#0d6efd'),
    font: read('--bs-body-font-family', 'sans-serif'),
  };
}
