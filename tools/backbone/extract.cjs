// Extracts MobileNetV2 (Keras, alpha 1.0) from its input up to and including block_10_project_BN out of the
// nsfwjs 4.3.0 package (TensorFlow.js layers format wrapped in JS modules) into a numpy .npz that the Java
// backbone reads: topology.json (the source's layer configs for these layers, verbatim, and the weights' shapes)
// and one 1-D float64 .npy per weight holding the dequantised float32 values exactly. Runs only in `make backbone`.
//
// usage: node extract.cjs <extracted nsfwjs package dir> <output .npz>
'use strict';
const fs = require('fs');
const path = require('path');

const LAST_LAYER = 'block_10_project_BN';
const [packageDir, output] = process.argv.slice(2);
if (!packageDir || !output) {
  console.error('usage: node extract.cjs <nsfwjs package dir> <output .npz>');
  process.exit(2);
}
const modelDir = path.join(packageDir, 'dist', 'models', 'mobilenet_v2');
const { modelTopology, weightsManifest } = require(path.resolve(modelDir, 'model.min.js'));
const shard = Buffer.from(require(path.resolve(modelDir, 'group1-shard1of1.min.js')), 'base64');

// The layers in topology order up to the cut; the graph is a chain with residual adds, so order suffices.
const allLayers = modelTopology.model_config.config.layers;
const cut = allLayers.findIndex((l) => l.name === LAST_LAYER);
if (cut < 0) throw new Error(`no layer ${LAST_LAYER} in the topology`);
const layers = allLayers.slice(0, cut + 1);
const wanted = new Set(layers.map((l) => l.name));

// Dequantise every weight in manifest order (the shard is their concatenation), as tfjs does:
// float32(min + scale * byte), the product and sum in double precision.
const weights = new Map();
let offset = 0;
for (const group of weightsManifest) {
  for (const spec of group.weights) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization;
    if (!q || q.dtype !== 'uint8' || spec.dtype !== 'float32') throw new Error(`unexpected encoding of ${spec.name}`);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = Math.fround(shard[offset + i] * q.scale + q.min);
    offset += count;
    weights.set(spec.name, { shape: spec.shape, values });
  }
}
if (offset !== shard.length) throw new Error(`the manifest covers ${offset} bytes, the shard has ${shard.length}`);

// Keras names a weight <layer>/<variable>; keep those of the layers up to the cut, in layer order.
const VARIABLES = {
  Conv2D: ['kernel'], DepthwiseConv2D: ['depthwise_kernel'],
  BatchNormalization: ['gamma', 'beta', 'moving_mean', 'moving_variance'],
};
const kept = [];
for (const layer of layers) {
  for (const variable of VARIABLES[layer.class_name] || []) {
    const name = `${layer.name}/${variable}`;
    if (!weights.has(name)) throw new Error(`missing weight ${name}`);
    kept.push(name);
  }
}
for (const name of weights.keys()) {
  if (wanted.has(name.split('/')[0]) && !kept.includes(name)) throw new Error(`unexpected weight ${name}`);
}

const topology = {
  source: 'npm nsfwjs@4.3.0 dist/models/mobilenet_v2 (Keras MobileNetV2 alpha 1.0, ImageNet weights up to '
    + LAST_LAYER + ')',
  keras_version: modelTopology.keras_version,
  layers: layers.map((l) => ({ class_name: l.class_name, name: l.name, config: l.config, inbound_nodes: l.inbound_nodes })),
  weights: kept.map((name) => ({ name, shape: weights.get(name).shape })),
};

const entries = [['topology.json', Buffer.from(JSON.stringify(topology, null, 1) + '\n', 'utf8')]];
for (const name of kept) entries.push([name + '.npy', npy(weights.get(name).values)]);
fs.writeFileSync(output, zip(entries));
const total = kept.reduce((n, name) => n + weights.get(name).values.length, 0);
console.log(`wrote ${output}: ${layers.length} layers, ${kept.length} weights, ${total} values`);

// numpy's .npy format 1.0 for a 1-D little-endian float64 array, with the header numpy.save writes.
function npy(values) {
  const dict = `{'descr': '<f8', 'fortran_order': False, 'shape': (${values.length},), }`
    + ' '.repeat(21 - String(values.length).length);
  const prefix = 10;
  const padding = 64 - ((prefix + dict.length + 1) % 64);
  const header = dict + ' '.repeat(padding) + '\n';
  const out = Buffer.alloc(prefix + header.length + values.length * 8);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(out, 0);
  out.writeUInt16LE(header.length, 8);
  out.write(header, prefix, 'latin1');
  for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i], prefix + header.length + 8 * i);
  return out;
}

// A zip of stored (uncompressed) entries with a fixed time (1980-01-01 00:00), so the bytes are reproducible.
function zip(files) {
  const DOS_TIME = 0;
  const DOS_DATE = (1 << 5) | 1;
  const parts = [];
  const central = [];
  let at = 0;
  for (const [name, data] of files) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(10, 4);
    entry.writeUInt16LE(10, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(0, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt32LE(at, 42);
    parts.push(local, nameBytes, data);
    central.push(entry, nameBytes);
    at += 30 + nameBytes.length + data.length;
  }
  const centralBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralBytes.length, 12);
  end.writeUInt32LE(at, 16);
  return Buffer.concat([...parts, centralBytes, end]);
}

function crc32(data) {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i];
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}
