"""Writes the .npy fixtures of NpyTest with numpy itself (run from this directory with /usr/bin/python3)."""
import numpy as np

out = "../resources/npy/"
x = np.arange(24, dtype=np.float64).reshape(4, 2, 3) / 8.0 - 1.0
np.save(out + "features_f8.npy", x)
np.save(out + "features_f4.npy", x.astype("<f4"))
np.save(out + "features_f4_big_endian.npy", x.astype(">f4"))
np.save(out + "features_u1.npy", (np.arange(24).reshape(4, 6) * 10).astype(np.uint8))
np.save(out + "features_i2.npy", (np.arange(24).reshape(4, 6) - 12).astype(np.int16))
np.save(out + "labels_i8.npy", np.array([3, 0, 2, 1], dtype=np.int64))
np.save(out + "labels_u1.npy", np.array([3, 0, 2, 1], dtype=np.uint8))
np.save(out + "targets_f4_2d.npy", np.array([[0.5, 1], [1.5, 2], [2.5, 3], [3.5, 4]], dtype=np.float32))
np.save(out + "labels_3.npy", np.array([0, 1, 2], dtype=np.int64))
np.save(out + "features_fortran.npy", np.asfortranarray(x[:, :, 0]))
np.save(out + "features_nan.npy", np.array([[1, 2], [3, np.nan], [5, 6], [7, 8]], dtype=np.float32))
