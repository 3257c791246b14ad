// Writes the expected features of a few pictures, computed by TensorFlow.js (CPU backend) running the nsfwjs
// MobileNetV2 model as published, up to block_10_project_BN and average-pooled, for the Java extractor's test.
// Independent of our extraction: tfjs reads and dequantises the weights itself. Runs only in `make backbone-fixtures`.
//
// usage: node expected-features.cjs <node_modules with @tensorflow/tfjs> <nsfwjs package dir> <picture-64.png> <out.json>
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [modules, packageDir, pngPath, output] = process.argv.slice(2);
const tf = require(path.resolve(modules, '@tensorflow/tfjs'));
const SIDE = 64;
const SIZES = [64, 96, 128];
const LAST_LAYER = 'block_10_project_BN';

async function main() {
  await tf.setBackend('cpu');
  const modelDir = path.join(packageDir, 'dist', 'models', 'mobilenet_v2');
  const { modelTopology, weightsManifest } = require(path.resolve(modelDir, 'model.min.js'));
  const shard = Buffer.from(require(path.resolve(modelDir, 'group1-shard1of1.min.js')), 'base64');
  // The layers up to the cut, taking any input size, not only the 224 the model was published for.
  const topology = JSON.parse(JSON.stringify(modelTopology));
  const config = topology.model_config.config;
  config.layers = config.layers.slice(0, config.layers.findIndex((l) => l.name === LAST_LAYER) + 1);
  config.layers[0].config.batch_input_shape = [null, null, null, 3];
  config.output_layers = [[LAST_LAYER, 0, 0]];
  const weightData = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.length);
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: topology, weightSpecs: weightsManifest.flatMap((g) => g.weights), weightData,
  }), { strict: false });

  const pictures = [
    { name: 'warmup picture-64.png', rgb: decodePng(fs.readFileSync(pngPath)) },
    { name: 'gradients', rgb: generate((y, x, c) => (c === 0 ? 4 * x : c === 1 ? 4 * y : 255 - 2 * (x + y)) & 255) },
    { name: 'noise', rgb: noise(12345) },
  ];
  const fixtures = [];
  for (const picture of pictures) {
    const pixels = tf.tensor4d(Float32Array.from(picture.rgb, (b) => b / 255), [1, SIDE, SIDE, 3]);
    const expected = {};
    for (const size of SIZES) {
      const input = size === SIDE ? pixels : tf.image.resizeBilinear(pixels, [size, size], true);
      expected[size] = Array.from(model.predict(input).mean([1, 2]).dataSync());
    }
    fixtures.push({ name: picture.name, rgb: Buffer.from(picture.rgb).toString('base64'), features: expected });
  }
  const doc = {
    source: `TensorFlow.js ${tf.version.tfjs} (${tf.getBackend()} backend), npm nsfwjs 4.3.0 dist/models/mobilenet_v2`
      + `, layers up to ${LAST_LAYER}, global average pooling; input rgb / 255, resized with resizeBilinear(alignCorners=true)`,
    pictures: fixtures,
  };
  fs.writeFileSync(output, JSON.stringify(doc, null, 1) + '\n');
  console.log(`wrote ${output}`);
}

function generate(f) {
  const rgb = new Uint8Array(SIDE * SIDE * 3);
  for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) for (let c = 0; c < 3; c++) rgb[(y * SIDE + x) * 3 + c] = f(y, x, c);
  return rgb;
}

function noise(seed) {
  let state = seed;
  return generate(() => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 24;
  });
}

// An 8-bit RGB, non-interlaced PNG (what the warm-up picture is) to its pixels.
function decodePng(bytes) {
  let at = 8;
  const idat = [];
  let width = 0;
  let height = 0;
  while (at < bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 2 || data[12] !== 0) throw new Error('only 8-bit RGB non-interlaced PNG');
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + length;
  }
  if (width !== SIDE || height !== SIDE) throw new Error(`expected ${SIDE}x${SIDE}, got ${width}x${height}`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= 3 ? out[y * stride + i - 3] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= 3 && y > 0 ? out[(y - 1) * stride + i - 3] : 0;
      let predictor;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`bad PNG filter ${filter}`);
      }
      out[y * stride + i] = (x + predictor) & 255;
    }
  }
  return out;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
