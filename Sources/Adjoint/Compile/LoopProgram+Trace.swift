/// The one way from a Swift function to loop IR: trace it (Trace/), then lower the graph (Lower/).
/// This stands in Compile/ because it is the first stage that knows both.
extension LoopProgram {
    /// `function` traced at `args` (their shapes, and their values as the trace's example values:
    /// the branches taken, hence the guards, follow from them) and lowered.
    package init(tracing function: ([Tensor]) -> [Tensor], at args: [Tensor]) {
        self.init(lowering: Staging.trace(args, function))
    }

    /// Lowers a function already traced: its results and guards, for inputs of its placeholders'
    /// shapes. For a caller that also needs the graph itself (to bind it to arguments, for one).
    package init(lowering traced: Staging.Traced) {
        self.init(graph: traced.graph, outputs: traced.outputs, guards: traced.guards,
                  inputShapes: traced.inputs.map { traced.graph.shape($0) })
    }
}
