/// The C of a kernel as a value of its parts, so that each tier assembles what it needs (libtcc:
/// the prelude, the tensor constants as extern symbols, the function; the optimized tier: its own
/// prelude, with pointers that `adj_bind` sets, and the same function) without cutting text.
package struct KernelSource: Sendable {
    /// Declarations of what the kernel calls (`Prelude.text`).
    package var prelude: String
    /// The rows' static helpers the function calls (`adj_polygamma`), defined before it.
    package var helpers: String
    /// The tensor constants' declarations (`extern const double adj_data0[];`).
    package var data: String
    /// The kernel function, `adj_kernel`.
    package var function: String

    /// The parts for `program`, as libtcc compiles them.
    package init(_ program: LoopProgram) {
        let emitter = CEmitter(program)
        prelude = Prelude.text
        data = emitter.dataDeclarations()
        var out = CWriter()
        emitter.writeFunction(named: "adj_kernel", to: &out)
        function = out.text
        helpers = Prelude.helpers(of: program)
    }

    /// The whole file libtcc compiles.
    package var text: String { prelude + helpers + data + "\n" + function }

    /// The file the system compiler builds for the optimized tier.
    package func optimizedTier(dataCount: Int) -> String {
        Prelude.optimizedTier(dataCount: dataCount) + helpers + "\n" + function
    }
}
