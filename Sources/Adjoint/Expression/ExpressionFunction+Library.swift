/// The command line's `.general` functions: the library's functions that take integers
/// (axes, counts, offsets) or have their own shape rules, each under its Swift name and, where
/// it differs, NumPy's.
extension ExpressionFunction {
    static let library: [ExpressionFunction] = []
}
