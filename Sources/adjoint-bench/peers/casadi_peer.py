"""CasADi's part of workloads_peer.py: the workloads as CasADi expressions (SX for W1, W2, W3 4x3,
W5, W6; MX, matrix-valued nodes, for W3 10000x100 and W4, as the peers' bench_casadi.py does),
built with its jit through the "shell" compiler: tcc if it works here, else gcc -O2, else
CasADi's virtual machine (the `version` line says which). Per call through Function.buffer()
(inputs bound once as NumPy memory, about 0.1 us a call from Python)."""
import atexit
import shutil
import tempfile

from peer_common import W1_GRID, W6_K, W6_K_VERIFY, W6_X0, emit, once, per_call, say, setup_time, version, wanted
import numpy as np


def w1_expression(ca, x):
    y = ca.exp(-2.0 * x)
    return (1.0 - y) / (1.0 + y)


def builders(ca):
    """Workload -> (build(options) -> Function, its arguments)."""
    def w1(opts):
        x = ca.SX.sym("x")
        return ca.Function("w1", [x], [ca.gradient(w1_expression(ca, x), x)], opts)

    def w2(opts):
        x = ca.SX.sym("x")
        d = w1_expression(ca, x)
        for _ in range(4):
            d = ca.gradient(d, x)
        return ca.Function("w2", [x], [d], opts).map(200)

    def w3(N, D, S):
        def build(opts):
            X, t, w = S.sym("X", N, D), S.sym("t", N), S.sym("w", D)
            preds = 0.5 * (ca.tanh(ca.mtimes(X, w) / 2.0) + 1.0)
            p = preds * t + (1.0 - preds) * (1.0 - t)
            return ca.Function("w3", [w, X, t], [ca.gradient(-ca.sum1(ca.log(p)), w)], opts)
        return build

    def w5(hvp):
        def build(opts):
            x, v = ca.SX.sym("x", 1000), ca.SX.sym("v", 1000)
            g = ca.gradient(ca.sum1(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2), x)
            return ca.Function("w5", [x, v], [ca.jtimes(g, x, v)], opts) if hvp else ca.Function("w5", [x], [g], opts)
        return build

    def w6(K):
        def build(opts):
            x = ca.SX.sym("x")
            y = x
            for _ in range(K):
                y = ca.sin(y) * 0.9 + 0.1 * ca.cos(y * 1.3)
            return ca.Function("w6", [x], [y, ca.gradient(y, x)], opts)
        return build
    return w1, w2, w3, w4_builder(ca), w5, w6


def w4_builder(ca):
    def build(opts):
        B, I, H, O = 256, 784, 128, 10
        X, Y = ca.MX.sym("X", B, I), ca.MX.sym("Y", B, O)
        W1, b1, W2, b2 = ca.MX.sym("W1", I, H), ca.MX.sym("b1", H), ca.MX.sym("W2", H, O), ca.MX.sym("b2", O)
        h = ca.tanh(ca.mtimes(X, W1) + ca.repmat(b1.T, B, 1))
        logits = ca.mtimes(h, W2) + ca.repmat(b2.T, B, 1)
        loss = ca.sum1(ca.log(ca.sum2(ca.exp(logits))) - ca.sum2(Y * logits)) / B
        g = ca.gradient(loss, ca.veccat(W1, b1, W2, b2))   # one reverse sweep for all four
        o1, o2, o3 = I * H, I * H + H, I * H + H + H * O
        outs = [loss, ca.reshape(g[0:o1], I, H), g[o1:o2], ca.reshape(g[o2:o3], H, O), g[o3:]]
        return ca.Function("w4", [W1, b1, W2, b2, X, Y], outs, opts)
    return build


class Buffer:
    """Function.buffer(): NumPy memory bound once (column-major, CasADi's order)."""

    def __init__(self, ca, F, args):
        self.ca, self.F = ca, F
        self.buf, self.call = F.buffer()
        self.args = [np.ascontiguousarray(np.asarray(a, dtype=np.float64).ravel(order="F")) for a in args]
        for i, a in enumerate(self.args):
            self.buf.set_arg(i, memoryview(a))
        self.res = [np.zeros(F.nnz_out(i)) for i in range(F.n_out())]
        for i, r in enumerate(self.res):
            self.buf.set_res(i, memoryview(r))

    def outputs(self):
        """Every result, row-major, as the bench reads them."""
        self.call()
        return [np.asarray(self.ca.DM(self.F.sparsity_out(i), r).full()) for i, r in enumerate(self.res)]


def choose_compiler(ca, directory, build_w1):
    """(options, name): the first jit that builds W1 here, else the VM."""
    choices = [("jit tcc", {"compiler": "tcc", "linker": "tcc", "directory": directory}),
               ("jit gcc -O2", {"compiler": "gcc", "flags": ["-O2", "-march=native"], "directory": directory})]
    for name, jit in choices:
        if shutil.which(jit["compiler"]) is None:
            continue
        opts = {"jit": True, "compiler": "shell", "jit_options": jit}
        try:
            build_w1(opts)(0.5)
            return opts, name
        except Exception:  # noqa: BLE001 (this compiler does not work here: try the next)
            continue
    return {}, "VM (no working jit compiler)"


def load_casadi():
    """CasADi, its builders and the jit chosen; the jit's folder is removed at exit."""
    import casadi as ca
    directory = tempfile.mkdtemp(prefix="adjoint-bench-casadi-") + "/"
    atexit.register(shutil.rmtree, directory, True)
    built = builders(ca)
    opts, name = choose_compiler(ca, directory, built[0])
    say("version", "casadi %s (%s, Function.buffer() calls)" % (version("casadi"), name))
    if opts.get("jit_options", {}).get("compiler") == "gcc":
        say("note", "casadi W6 left out: gcc -O2 on its 140k-line function takes minutes")
    return ca, built, opts


def run_casadi(data, args, groups):
    loaded = once("casadi", load_casadi)
    if loaded is None:
        return
    ca, (w1, w2, w3, w4, w5, w6), opts = loaded
    w3s, w3b, (p4, X4, Y4), (x5, v5) = args["W3_small"], args["W3_big"], args["W4"], args["W5"]
    cases = [("W1", w1, [0.5]), ("W2", w2, [args["W2"].reshape(1, -1)]),
             ("W3_small", w3(4, 3, ca.SX), w3s), ("W3_big", w3(10000, 100, ca.MX), w3b),
             ("W4", w4, [*p4, X4, Y4]), ("W5", w5(False), [x5]), ("W5_hvp", w5(True), [x5, v5])]
    if opts.get("jit_options", {}).get("compiler") != "gcc":
        cases.append(("W6", w6(W6_K), [W6_X0]))
    for workload, build, call_args in cases:
        if not wanted(workload, groups):
            continue
        made = []   # the Function built by the (last) timed setup is the one measured
        seconds = setup_time(lambda: made.append(build(opts)), repeats=1 if workload in ("W4", "W6") else None)
        emit("time", "casadi_setup", workload, seconds)
        buffer = Buffer(ca, made[-1], call_args)
        del made[:]
        results = buffer.outputs()
        if workload == "W6":
            results = [*Buffer(ca, w6(W6_K_VERIFY)(opts), [W6_X0]).outputs(), results[0]]
        if workload == "W1":
            data.save("casadi", workload, [w1_call(buffer, x) for x in W1_GRID])
            emit("time", "casadi_per_call", workload, per_call(lambda x: w1_call(buffer, x), inputs=W1_GRID))
        else:
            data.save("casadi", workload, *results)
            emit("time", "casadi_per_call", workload, per_call(buffer.call))


def w1_call(buffer, x):
    buffer.args[0][0] = x
    buffer.call()
    return buffer.res[0][0]
