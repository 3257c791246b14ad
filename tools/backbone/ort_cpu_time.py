"""CPU time of onnxruntime on the MobileNetV2 block_10 backbone, one picture on one thread.

usage: python ort_cpu_time.py ONNX_DIR SIZE
prints one JSON line: {"size", "cpu_ms_per_picture", "rounds_cpu_ms"}

The same session and call as ../shared/peers/onnx/time_backbone.py (all graph optimisations, one intra-op thread,
sequential, IOBinding, random pixels in [0, 1)), but timed by the calling thread's CPU time (with one intra-op
thread onnxruntime runs in the caller), not the wall clock: on a machine shared with other work the wall clock
counts the time the scheduler gives to others. Median of 3 rounds of at least 2 s.
"""
import json
import os
import statistics
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    onnx_dir, size = sys.argv[1], int(sys.argv[2])
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(os.path.join(onnx_dir, f'mobilenetv2_block10_{size}.onnx'), options,
                                   providers=['CPUExecutionProvider'])
    x = np.random.default_rng(0).random((1, 3, size, size), dtype=np.float32)
    binding = session.io_binding()
    binding.bind_ortvalue_input('input', ort.OrtValue.ortvalue_from_numpy(x))
    binding.bind_ortvalue_output('features', ort.OrtValue.ortvalue_from_numpy(np.empty((1, 96), np.float32)))
    start = time.perf_counter()
    while time.perf_counter() - start < 1.0:
        session.run_with_iobinding(binding)
    rounds = []
    for _ in range(3):
        calls = 0
        wall, cpu = time.perf_counter(), time.thread_time()
        while time.perf_counter() - wall < 2.0:
            session.run_with_iobinding(binding)
            calls += 1
        rounds.append(1000.0 * (time.thread_time() - cpu) / calls)
    print(json.dumps({'size': size, 'cpu_ms_per_picture': round(statistics.median(rounds), 4),
                      'rounds_cpu_ms': [round(r, 4) for r in rounds]}), flush=True)


if __name__ == '__main__':
    main()
