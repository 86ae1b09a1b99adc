"""The peers of adjoint-bench's W1-W6 and GEMM, measured in the bench's own run: JAX jit,
HIPS autograd, CasADi (its tcc jit, else gcc, else its VM) and NumPy's BLAS, one thread each.
The workloads are those of the peers' WORKLOADS.md, written here once for jax.numpy and
autograd.numpy so both run the identical expression.

Usage: python workloads_peer.py DIR [GROUP...]   (GROUP: W1 ... W6, GEMM; all by default), or
python workloads_peer.py DIR --serve FIFO   (as adjoint-bench runs it: it writes a group to the
FIFO just before its own rows of that group, so both are measured within seconds of each other).
DIR holds the bench's arrays as <name>.bin (little-endian float64, row-major) and manifest.txt
(`name dim...` per line).

Prints `time <measure> <workload> <seconds>`, `version <text>`, `note <text>`, `skip <system>
<reason>`; writes each system's results to DIR/<system>_<workload>.bin (row-major, outputs
concatenated in the order the bench expects), which the bench compares with its own.

Timing as the peers' harness: per call = median over PEERS_REPEATS batches, each calibrated to
PEERS_TARGET seconds (JAX: block_until_ready after every call); setup = first call of a fresh
jax.jit after jax.clear_caches() (trace + lower + XLA compile + one run), median of
PEERS_SETUP_REPEATS; CasADi setup = build the expression + AD + Function (+ codegen, compile,
dlopen for its jit); per call through Function.buffer().
"""
import os
import sys

sys.dont_write_bytecode = True  # the scripts live in the source tree: no __pycache__ there
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import (W1_GRID, W6_K, W6_K_VERIFY, W6_X0, Data, emit, fix_blas_core,  # noqa: E402
                         once, per_call, say, serve, setup_time, version, wanted)
import numpy as np  # noqa: E402  (after peer_common, which pins the threads)


# ----------------------------------------------------------------- workloads
def define(np_):
    """The workloads against a NumPy-like module (jax.numpy or autograd.numpy)."""
    def w1(x):
        y = np_.exp(-2.0 * x)
        return (1.0 - y) / (1.0 + y)

    def w3(w, X, t):
        preds = 0.5 * (np_.tanh(np_.dot(X, w) / 2.0) + 1.0)
        p = preds * t + (1.0 - preds) * (1.0 - t)
        return -np_.sum(np_.log(p))

    def w4(params, X, Y):
        W1, b1, W2, b2 = params
        h = np_.tanh(np_.dot(X, W1) + b1)
        logits = np_.dot(h, W2) + b2
        return np_.mean(np_.log(np_.sum(np_.exp(logits), axis=1)) - np_.sum(Y * logits, axis=1))

    def w5(x):
        return np_.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)

    def w6(x, K):
        for _ in range(K):
            x = np_.sin(x) * 0.9 + 0.1 * np_.cos(x * 1.3)
        return x
    return w1, w3, w4, w5, w6


def inputs(data):
    """Each workload's arguments, from the bench's arrays."""
    return {
        "W2": data["w2_x"],
        "W3_small": tuple(data["w3_small_" + k] for k in "wXt"),
        "W3_big": tuple(data["w3_big_" + k] for k in "wXt"),
        "W4": (tuple(data[k] for k in ("w4_W1", "w4_b1", "w4_W2", "w4_b2")), data["w4_X"], data["w4_Y"]),
        "W5": (data["w5_x"], data["w5_v"]),
        **{"LSTM_l%d" % l: tuple(data["lstm_l%d_%s" % (l, k)] for k in ("main", "extra", "state", "sequence"))
           for l in (2, 4)},
    }


# ----------------------------------------------------------------------- JAX
def jax_setup(jax, make, args):
    """Seconds of the first call of a fresh jax.jit(make()) after clear_caches: trace, lower,
    XLA compile and one run (median of PEERS_SETUP_REPEATS)."""
    def first():
        jax.clear_caches()
        jax.block_until_ready(jax.jit(make())(*args))
    return setup_time(first)


def lstm_scan(jnp, lax):
    """ADBench's LSTM objective (LSTM.swift's) with the characters as a lax.scan and the layers
    as a Python loop (l is static): the form JAX's users are told to write."""
    def sigmoid(x):
        return 1.0 / (1.0 + jnp.exp(-x))

    def objective(main, extra, state, sequence):
        layers, b = main.shape[0] // 2, sequence.shape[1]

        def step(carry, pair):
            hidden, cell, total = carry
            current, following = pair
            x = current * extra[0]
            hs, cs = [], []
            for i in range(layers):
                w, bias = main[2 * i], main[2 * i + 1]

                def gate(k, v):
                    return v * w[k * b:(k + 1) * b] + bias[k * b:(k + 1) * b]
                forget, ingate = sigmoid(gate(0, x)), sigmoid(gate(1, hidden[i]))
                outgate, change = sigmoid(gate(2, x)), jnp.tanh(gate(3, hidden[i]))
                c = cell[i] * forget + ingate * change
                h = outgate * jnp.tanh(c)
                hs.append(h)
                cs.append(c)
                x = h
            prediction = x * extra[1] + extra[2]
            normalized = prediction - jnp.log(jnp.sum(jnp.exp(prediction)) + 2.0)
            return (jnp.stack(hs), jnp.stack(cs), total + jnp.sum(following * normalized)), None
        carry = (state[0::2], state[1::2], jnp.zeros(()))
        (_, _, total), _ = lax.scan(step, carry, (sequence[:-1], sequence[1:]))
        return -total / ((sequence.shape[0] - 1) * b)
    return objective


def jax_cases(jax, jnp, lax, args):
    """(workload, make, args, outputs): make() gives the function to jit; outputs(f) its
    results in the order the bench reads them."""
    w1, w3, w4, w5, w6 = define(jnp)

    def egrad(g):
        def h(x):
            y, vjp = jax.vjp(g, x)
            return vjp(jnp.ones_like(y))[0]
        return h

    def fori(x, K):
        return lax.fori_loop(0, K, lambda i, x: jnp.sin(x) * 0.9 + 0.1 * jnp.cos(x * 1.3), x)
    x2 = jnp.asarray(args["W2"])
    w3s, w3b = (tuple(jnp.asarray(a) for a in args[k]) for k in ("W3_small", "W3_big"))
    p4, X4, Y4 = args["W4"]
    a4 = (tuple(jnp.asarray(a) for a in p4), jnp.asarray(X4), jnp.asarray(Y4))
    x5, v5 = (jnp.asarray(a) for a in args["W5"])
    w6_100 = jax.jit(jax.value_and_grad(lambda x: fori(x, W6_K_VERIFY)))
    lstm = lstm_scan(jnp, lax)
    lstm_args = {k: tuple(jnp.asarray(a) for a in args[k]) for k in ("LSTM_l2", "LSTM_l4")}

    def lstm_case(k):
        a = lstm_args[k]
        return (k, lambda: jax.value_and_grad(lstm, (0, 1)), a, lambda f: [f(*a)[0], *f(*a)[1]])
    return [
        ("W1", lambda: jax.grad(w1), (0.5,), lambda f: [[float(f(x)) for x in W1_GRID]]),
        ("W2", lambda: egrad(egrad(egrad(egrad(w1)))), (x2,), lambda f: [f(x2)]),
        ("W3_small", lambda: jax.grad(w3, 0), w3s, lambda f: [f(*w3s)]),
        ("W3_big", lambda: jax.grad(w3, 0), w3b, lambda f: [f(*w3b)]),
        ("W4", lambda: jax.value_and_grad(w4, 0), a4, lambda f: [f(*a4)[0], *f(*a4)[1]]),
        ("W5", lambda: jax.grad(w5), (x5,), lambda f: [f(x5)]),
        ("W5_hvp", lambda: (lambda x, v: jax.jvp(jax.grad(w5), (x,), (v,))[1]), (x5, v5), lambda f: [f(x5, v5)]),
        ("W6_fori", lambda: jax.grad(lambda x: fori(x, W6_K)), (jnp.asarray(W6_X0),),
         lambda f: [*w6_100(W6_X0), jax.jit(lambda x: fori(x, W6_K))(W6_X0)]),
        lstm_case("LSTM_l2"), lstm_case("LSTM_l4"),
    ]


def load_jax():
    import jax
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platforms", "cpu")
    import jax.numpy as jnp
    from jax import lax
    say("version", "jax %s (jit, x64, CPU)" % jax.__version__)
    jax.block_until_ready(jax.jit(lambda x: x + 1.0)(jnp.zeros(2)))  # backend start, outside setup
    return jax, jnp, lax


def run_jax(data, args, groups):
    modules = once("jax", load_jax)
    if modules is None:
        return
    jax = modules[0]
    for workload, make, call_args, outputs in jax_cases(*modules, args):
        if not wanted(workload, groups):
            continue
        emit("time", "jax_setup", workload, jax_setup(jax, make, call_args))
        f = jax.jit(make())
        data.save("jax", workload, *outputs(f))
        if workload == "W1":
            seconds = per_call(lambda x: jax.block_until_ready(f(x)), inputs=W1_GRID)
        else:
            seconds = per_call(lambda: jax.block_until_ready(f(*call_args)))
        emit("time", "jax_per_call", workload, seconds)


# ------------------------------------------------------------------ autograd
def load_autograd():
    import autograd
    import autograd.numpy as anp
    say("version", "autograd " + version("autograd"))
    return autograd, anp


def run_autograd(data, args, groups):
    modules = once("autograd", load_autograd)
    if modules is None:
        return
    autograd, anp = modules
    w1, w3, w4, w5, w6 = define(anp)
    egrad, grad = autograd.elementwise_grad, autograd.grad
    x2, w3s, w3b, a4, (x5, v5) = (args[k] for k in ("W2", "W3_small", "W3_big", "W4", "W5"))
    g1, d4, g3, vg4 = grad(w1), egrad(egrad(egrad(egrad(w1)))), grad(w3, 0), autograd.value_and_grad(w4, 0)
    g5, h5 = grad(w5), autograd.hessian_vector_product(w5)
    g6, vg6 = grad(lambda x: w6(x, W6_K)), autograd.value_and_grad(lambda x: w6(x, W6_K_VERIFY))
    cases = [("W1", lambda: [[g1(x) for x in W1_GRID]], None),
             ("W2", lambda: [d4(x2)], lambda: d4(x2)),
             ("W3_small", lambda: [g3(*w3s)], lambda: g3(*w3s)),
             ("W3_big", lambda: [g3(*w3b)], lambda: g3(*w3b)),
             ("W4", lambda: [vg4(*a4)[0], *vg4(*a4)[1]], lambda: vg4(*a4)),
             ("W5", lambda: [g5(x5)], lambda: g5(x5)),
             ("W5_hvp", lambda: [h5(x5, v5)], lambda: h5(x5, v5)),
             ("W6", lambda: [*vg6(W6_X0), w6(W6_X0, W6_K)], lambda: g6(W6_X0))]
    for workload, outputs, call in cases:
        if not wanted(workload, groups):
            continue
        data.save("autograd", workload, *outputs())
        seconds = per_call(g1, inputs=W1_GRID) if call is None else \
            per_call(call, repeats=3 if workload == "W6" else None)  # W6: 1.6 s a call
        emit("time", "autograd_per_call", workload, seconds)


# ---------------------------------------------------------------------- GEMM
GEMMS = (("x_w1", "w4_X", "w4_W1", False), ("xt_d", "w4_X", "gemm_d", True), ("sq512", "gemm_a", "gemm_b", False))


def run_gemm(data, core, how):
    """NumPy's BLAS (one thread) on the GEMM workload's products, into a preallocated result."""
    if os.environ.get("PEERS_BLAS_WAS"):
        say("note", "OpenBLAS detected %s: re-run with OPENBLAS_CORETYPE=%s"
            % (os.environ["PEERS_BLAS_WAS"], os.environ["OPENBLAS_CORETYPE"]))
    for tag, a_name, b_name, transposed in GEMMS:
        a, b = data[a_name], data[b_name]
        a = a.T if transposed else a
        c = np.empty((a.shape[0], b.shape[1]))
        np.matmul(a, b, out=c)
        data.save("numpy", "gemm_" + tag, c)
        emit("time", "numpy_gemm", tag, per_call(lambda: np.matmul(a, b, out=c)))


def blas_name():
    try:
        config = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return "%s %s" % (config.get("name"), config.get("version"))
    except Exception:  # noqa: BLE001 (older NumPy: no dicts mode)
        return "NumPy's BLAS"


GROUPS = ("W1", "W2", "W3", "W4", "W5", "W6", "GEMM", "LSTM")


def main():
    core, how = fix_blas_core()   # first: it may re-run the script with OPENBLAS_CORETYPE set
    data = Data(sys.argv[1])
    args = inputs(data)
    say("version", "numpy " + np.__version__)
    say("version", "BLAS: %s, core %s (%s)" % (blas_name(), core, how))

    def measure(groups):
        if "GEMM" in groups:
            run_gemm(data, core, how)
        if groups - {"GEMM"}:
            run_jax(data, args, groups)
            run_autograd(data, args, groups)
            from casadi_peer import run_casadi
            run_casadi(data, args, groups)
    if "--serve" in sys.argv:
        serve(sys.argv[sys.argv.index("--serve") + 1], measure)
    else:
        measure(set(sys.argv[2:]) or set(GROUPS))


if __name__ == "__main__":
    main()
