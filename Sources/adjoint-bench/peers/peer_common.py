"""What the peers' scripts share: threads pinned before NumPy/JAX load (as the peers'
peers_env.py does), the harness's timing (calibrated batches, medians), the line protocol the
bench reads, and the bench's arrays (DIR/<name>.bin, float64 row-major, shapes in
DIR/manifest.txt as `name dim...`)."""
import os
import sys

sys.dont_write_bytecode = True  # the scripts live in the source tree: no __pycache__ there


def _pin_threads():
    """One thread everywhere, set before NumPy/JAX load (as the peers' peers_env.py does)."""
    for key in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[key] = "1"
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")


_pin_threads()

import ctypes  # noqa: E402
import gc  # noqa: E402
import glob  # noqa: E402
import itertools  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402,F401  (re-exported to the scripts)

import numpy as np  # noqa: E402

TARGET = float(os.environ.get("PEERS_TARGET", "0.1"))
REPEATS = int(os.environ.get("PEERS_REPEATS", "7"))
SETUP_REPEATS = int(os.environ.get("PEERS_SETUP_REPEATS", "3"))
W6_K, W6_K_VERIFY, W6_X0 = 10000, 100, 0.3
W1_GRID = [-1.0 + 0.001 * (i % 2000) for i in range(2000)]
now = time.perf_counter


# ------------------------------------------------------------------ plumbing
def per_call(fn, inputs=None, repeats=None):
    """Median seconds per call of fn() (or fn(x) cycling through `inputs`)."""
    def run(n):
        it = itertools.islice(itertools.cycle(inputs), n) if inputs is not None else None
        t0 = now()
        if it is None:
            for _ in itertools.repeat(None, n):
                fn()
        else:
            for x in it:
                fn(x)
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
    return statistics.median(run(n) / n for _ in range(repeats or REPEATS))


def setup_time(make, repeats=None):
    """Median seconds of make(), a setup from nothing."""
    times = []
    for _ in range(repeats or SETUP_REPEATS):
        gc.collect()
        t0 = now()
        make()
        times.append(now() - t0)
    return statistics.median(times)


def emit(kind, measure, workload, x):
    print(kind, measure, workload, repr(float(x)), flush=True)


def say(kind, text):
    print(kind, text, flush=True)


def skip(system, error):
    say("skip", "%s %s" % (system, str(error).splitlines()[0] if str(error) else type(error).__name__))


class Data:
    """The bench's arrays, by name, with the shapes of its manifest."""

    def __init__(self, directory):
        self.directory = directory
        self.shapes = {}
        with open(os.path.join(directory, "manifest.txt")) as manifest:
            for line in manifest:
                fields = line.split()
                if fields:
                    self.shapes[fields[0]] = tuple(int(d) for d in fields[1:])

    def __getitem__(self, name):
        raw = np.fromfile(os.path.join(self.directory, name + ".bin"), dtype="<f8")
        return raw.reshape(self.shapes[name])

    def save(self, system, workload, *arrays):
        flat = np.concatenate([np.asarray(a, dtype="<f8").ravel() for a in arrays])
        flat.tofile(os.path.join(self.directory, "%s_%s.bin" % (system, workload)))


# ---------------------------------------------------------------------- BLAS
def blas_core():
    """(core, how): the kernel family NumPy's OpenBLAS chose at load, from threadpoolctl if
    installed, else from openblas_get_corename in NumPy's bundled library; (None, why) if
    neither answers."""
    try:
        from threadpoolctl import threadpool_info
        for info in threadpool_info():
            if info.get("internal_api") == "openblas":
                return info.get("architecture"), "threadpoolctl"
    except ImportError:
        pass
    libraries = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "*openblas*"))
    for path in libraries:
        library = ctypes.CDLL(path)
        for symbol in ("openblas_get_corename", "scipy_openblas_get_corename64_", "openblas_get_corename64_"):
            function = getattr(library, symbol, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                return function().decode(), symbol
    return None, "no OpenBLAS found (NumPy's BLAS: see numpy.show_config())"


def cpu_flags():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def fix_blas_core():
    """OpenBLAS mis-detects some virtual CPUs as Prescott (no AVX kernels, ~6x slower): then
    re-run this script with OPENBLAS_CORETYPE naming the family the CPU's flags allow (SkylakeX
    with AVX-512, Haswell with AVX2). It has to be set before the library loads, hence the exec."""
    core, how = blas_core()
    if core is None or core.lower() != "prescott" or "OPENBLAS_CORETYPE" in os.environ:
        return core, how
    flags = cpu_flags()
    wanted = "SkylakeX" if "avx512f" in flags else "Haswell" if "avx2" in flags else None
    if wanted is None:
        return core, how
    os.environ["OPENBLAS_CORETYPE"] = wanted
    os.environ["PEERS_BLAS_WAS"] = core
    os.execv(sys.executable, [sys.executable] + sys.argv)


# ------------------------------------------------------------------ sessions
_loaded = {}


def once(system, load):
    """load() the first time (it prints the system's version line; an import failure prints
    a `skip` line), the same result after: a serving script imports each system once."""
    if system not in _loaded:
        try:
            _loaded[system] = load()
        except Exception as error:  # noqa: BLE001 (any import failure means: not here)
            skip(system, error)
            _loaded[system] = None
    return _loaded[system]


def wanted(workload, groups):
    """True when `workload` (W3_big, W5_hvp, W6_fori, ...) is in one of `groups` (W3, W5, ...)."""
    return any(workload.startswith(group) for group in groups)


def serve(fifo, measure):
    """Reads groups from `fifo`, one a line, and measures each (the bench asks just before it
    runs its own rows for the group, so both are taken within seconds); `done <group>` after
    each. Ends at `quit` or when the bench closes the FIFO."""
    with open(fifo) as commands:
        for line in commands:
            group = line.strip()
            if group == "quit":
                break
            if group:
                measure({group})
                say("done", group)
