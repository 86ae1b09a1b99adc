"""The peers of adjoint-bench's W7 (Cholesky/LU): NumPy's LAPACK (and LAPACK directly through
SciPy, which JAX installs), JAX and autograd, single thread,
timed as ../shared/peers/peers_common.py times (a batch calibrated to PEERS_TARGET seconds, the
median of PEERS_REPEATS batches per call).

Usage: python linalg_peer.py DIR N...   (run by adjoint-bench; DIR holds w7_<n>.bin, written by
the bench: A [n, n], b [n], B [n, n] as little-endian float64, row-major, one after the other).

For each n it prints lines `time <name> <n> <seconds>` and `value <name> <n> <x>`, writes the
gradient of f(A) = logdet(A) + sum(solve(A, b)) by its closed form A⁻ᵀ − A⁻ᵀ·1·xᵀ (x = A⁻¹b) with
NumPy to DIR/grad_numpy_<n>.bin and JAX's to DIR/grad_jax_<n>.bin, and `skip <system> <reason>`
for a system that cannot be imported.
"""
import os
import sys

# Pin every library to one thread before numpy/jax load (as peers_env.py does).
for _k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_k] = "1"
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

import gc
import itertools
import statistics
import time
from importlib.metadata import version

import numpy as np

TARGET = float(os.environ.get("PEERS_TARGET", "0.1"))
REPEATS = int(os.environ.get("PEERS_REPEATS", "7"))
now = time.perf_counter


def per_call(fn):
    """Median seconds per call of fn()."""
    def run(n):
        t0 = now()
        for _ in itertools.repeat(None, n):
            fn()
        return now() - t0
    run(1)
    n = 1
    while True:
        dt = run(n)
        if dt >= TARGET * 0.2:
            break
        n = n * 4 if dt < TARGET * 0.02 else n * 2
    n = max(1, int(round(n * TARGET / max(dt, 1e-9))))
    gc.collect()
    return statistics.median(run(n) / n for _ in range(REPEATS))


def emit(kind, name, n, x):
    print(kind, name, n, repr(float(x)), flush=True)


def load(directory, n):
    raw = np.fromfile(os.path.join(directory, "w7_%d.bin" % n), dtype="<f8")
    return raw[:n * n].reshape(n, n), raw[n * n:n * n + n].copy(), raw[n * n + n:].reshape(n, n)


def numpy_figures(directory, n, A, b, B):
    def f():
        return np.linalg.slogdet(A)[1] + np.linalg.solve(A, b).sum()
    emit("time", "numpy_forward", n, per_call(f))
    emit("value", "numpy_forward", n, f())
    emit("time", "numpy_cholesky", n, per_call(lambda: np.linalg.cholesky(A)))
    emit("time", "numpy_solve_vector", n, per_call(lambda: np.linalg.solve(A, b)))
    emit("time", "numpy_solve_matrix", n, per_call(lambda: np.linalg.solve(A, B)))
    inverse = np.linalg.inv(A)
    x = np.linalg.solve(A, b)
    gradient = inverse.T - np.outer(inverse.T @ np.ones(n), x)
    gradient.astype("<f8").tofile(os.path.join(directory, "grad_numpy_%d.bin" % n))


def lapack_figures(ns, data):
    """LAPACK's dpotrf and dgetrf called directly (SciPy's wrappers, column-major copy made
    once): the factorizations without NumPy's checks and copies around them."""
    try:
        from scipy.linalg import lapack
    except Exception as error:  # noqa: BLE001
        print("skip scipy", str(error).splitlines()[0] if str(error) else type(error).__name__, flush=True)
        return
    print("version scipy", version("scipy"), flush=True)
    for n in ns:
        a = np.asfortranarray(data[n][0])
        emit("time", "lapack_dpotrf", n, per_call(lambda: lapack.dpotrf(a, lower=1)))
        emit("time", "lapack_dgetrf", n, per_call(lambda: lapack.dgetrf(a)))


def jax_figures(directory, ns, data):
    try:
        import jax
        jax.config.update("jax_enable_x64", True)
        jax.config.update("jax_platforms", "cpu")
        import jax.numpy as jnp
    except Exception as error:  # noqa: BLE001 (any import failure means: no JAX here)
        print("skip jax", str(error).splitlines()[0] if str(error) else type(error).__name__, flush=True)
        return
    print("version jax", jax.__version__, flush=True)
    jax.block_until_ready(jax.jit(lambda x: x + 1.0)(jnp.zeros(2)))  # backend start outside the setup time
    for n in ns:
        A, b, _ = data[n]
        A, b = jnp.asarray(A), jnp.asarray(b)
        def f(a):
            return jnp.linalg.slogdet(a)[1] + jnp.linalg.solve(a, b).sum()
        t0 = now()
        vg = jax.jit(jax.value_and_grad(f))
        value, gradient = jax.block_until_ready(vg(A))
        emit("time", "jax_setup", n, now() - t0)
        emit("time", "jax_value_and_grad", n, per_call(lambda: jax.block_until_ready(vg(A))))
        forward = jax.jit(f)
        jax.block_until_ready(forward(A))
        emit("time", "jax_forward", n, per_call(lambda: jax.block_until_ready(forward(A))))
        emit("value", "jax_value_and_grad", n, value)
        np.asarray(gradient, dtype="<f8").tofile(os.path.join(directory, "grad_jax_%d.bin" % n))


def autograd_figures(ns, data):
    try:
        import autograd
        import autograd.numpy as anp
    except Exception as error:  # noqa: BLE001
        print("skip autograd", str(error).splitlines()[0] if str(error) else type(error).__name__, flush=True)
        return
    print("version autograd", version("autograd"), flush=True)
    for n in ns:
        A, b, _ = data[n]
        vg = autograd.value_and_grad(lambda a: anp.linalg.slogdet(a)[1] + anp.sum(anp.linalg.solve(a, b)))
        emit("time", "autograd_value_and_grad", n, per_call(lambda: vg(A)))


def main():
    directory, ns = sys.argv[1], [int(a) for a in sys.argv[2:]]
    print("version numpy", np.__version__, flush=True)
    data = {n: load(directory, n) for n in ns}
    for n in ns:
        numpy_figures(directory, n, *data[n])
    lapack_figures(ns, data)
    jax_figures(directory, ns, data)
    autograd_figures(ns, data)


if __name__ == "__main__":
    main()
