"""Writes the pickle fixtures of NumpyPickleTest (run once with numpy 2.x: python3 make_fixtures.py).

dict-p{2,3,4,5}.pickle: pickle.dumps of the same dict of arrays in each protocol;
parameters.npz: that dict as the original system saved its model (np.save of the dict in an npz entry
"parameters", as np.savez(file, parameters=dict) writes it).
"""
import pickle
import numpy as np

params = {
    "W1": (np.arange(12, dtype=np.float64).reshape(3, 4) - 6) / 8,
    "b1": np.array([[0.5], [-0.25], [0.125]]),
    "W2": np.asfortranarray(np.array([[1.5, -2.0, 0.75]], dtype=np.float32)),
    "b2": np.array([[-0.0625]]),
}
for protocol in (2, 3, 4, 5):
    with open("dict-p%d.pickle" % protocol, "wb") as f:
        pickle.dump(params, f, protocol=protocol)
np.savez("parameters.npz", parameters=params)
