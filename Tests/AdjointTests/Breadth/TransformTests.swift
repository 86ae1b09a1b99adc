#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport

@testable import Adjoint

/// The transforms' missing pieces: gradients with respect to a subset of the arguments, and
/// functions with derivative rules of their own (`customDerivative`).
@Suite struct ParameterSubsetTests {
    static func loss(_ p: [Tensor]) -> Tensor { sum(p[0] * p[1]) + sum(sin(p[2]) * p[1]) + sum(p[2] * p[2] * p[2]) }

    static let params: [Tensor] = [[1, 2, 3], [0.5, -1, 2], [0.3, -0.7, 1.1]]

    @Test func subsetsAreTheFullGradientsEntries() {
        let full = grad(Self.loss)(Self.params)
        let picked = grad(Self.loss, wrt: [2, 0])(Self.params)
        #expect(picked.count == 2)
        #expect(relativeError(picked[0], full[2]) <= 1e-15 && relativeError(picked[1], full[0]) <= 1e-15)
        #expect(relativeError(grad(Self.loss, wrt: 1)(Self.params), full[1]) <= 1e-15)
        let (value, gradients) = valueAndGrad(Self.loss, wrt: [1, 2])(Self.params)
        #expect(value.scalar == Self.loss(Self.params).scalar)
        #expect(relativeError(gradients[0], full[1]) <= 1e-15 && relativeError(gradients[1], full[2]) <= 1e-15)
        let one = valueAndGrad(Self.loss, wrt: 0)(Self.params)
        #expect(one.value.scalar == value.scalar && relativeError(one.gradient, full[0]) <= 1e-15)
    }

    @Test func subsetsCompile() {
        let interpreted = grad(Self.loss, wrt: [0, 2])(Self.params)
        let compiled = compile(grad(Self.loss, wrt: [0, 2]))(Self.params)
        #expect(zip(compiled, interpreted).allSatisfy { relativeError($0, $1) <= 1e-12 })
        let (value, gradients) = compile(valueAndGrad(Self.loss, wrt: [2]))(Self.params)
        #expect(Swift.abs(value.scalar - Self.loss(Self.params).scalar) <= 1e-12)
        #expect(relativeError(gradients[0], interpreted[1]) <= 1e-12)
        let single = compile(valueAndGrad(Self.loss, wrt: 1))(Self.params)
        #expect(relativeError(single.gradient, grad(Self.loss)(Self.params)[1]) <= 1e-12)
    }

    /// The parameters not listed are constants: the kernel of one gradient is smaller than the
    /// kernel of all three.
    @Test func constantsCostNothing() {
        let shapes = Self.params.map(\.shape)
        let one = compile(grad(Self.loss, wrt: [1])).cSource(for: shapes)
        let all = compile(grad(Self.loss)).cSource(for: shapes)
        #expect(one.count < all.count)
    }

    @Test func severalArgumentsAtOnce() {
        func f(_ a: Tensor, _ b: Tensor) -> Tensor { sum(a * a * b) }
        func h(_ a: Tensor, _ b: Tensor, _ c: Tensor) -> Tensor { sum(a * b * c) }
        let (a, b, c): (Tensor, Tensor, Tensor) = ([1, 2], [3, 4], [5, 6])
        let r = valueAndGrad(f, wrt: [1, 0])(a, b)
        #expect(r.value.scalar == 19 && r.gradient.map(\.scalars) == [[1, 4], [6, 16]])
        let compiled = compile(valueAndGrad(f, wrt: [1, 0]))(a, b)
        #expect(compiled.value.scalar == 19 && compiled.gradient.map(\.scalars) == [[1, 4], [6, 16]])
        let r3 = compile(valueAndGrad(h, wrt: [2]))(a, b, c)
        #expect(r3.value.scalar == 63 && r3.gradient.map(\.scalars) == [[3, 8]])
        let r4 = valueAndGrad({ (a: Tensor, b: Tensor, c: Tensor, d: Tensor) in sum(a * b) + sum(c * d) }, wrt: [3, 0])
        #expect(r4(a, b, c, a).gradient.map(\.scalars) == [[5, 6], [3, 4]])
    }

    @Test func badIndicesAreReported() {
        let cases: [(String, () -> Void)] = [
            ("out of range", { _ = grad(Self.loss, wrt: [0, 3])(Self.params) }),
            ("out of range", { _ = valueAndGrad(Self.loss, wrt: -1)(Self.params) }),
            ("listed twice", { _ = grad(Self.loss, wrt: [1, 1])(Self.params) }),
            ("listed twice", { _ = valueAndGrad({ (a: Tensor, b: Tensor) in sum(a * b) }, wrt: [0, 0])(1, 2) }),
            ("out of range", { _ = grad({ (a: Tensor, b: Tensor) in sum(a * b) }, wrt: [2])(1, 2) }),
            ("listed twice", { _ = grad(Self.loss, wrt: [2, 0, 2])(Self.params) }),
            ("out of range", { _ = jacobian({ (a: Tensor, b: Tensor) in a * b }, wrt: 2)(1, 2) }),
        ]
        for (expected, body) in cases {
            do {
                try Tensor.checkingShapes { body() }
                Issue.record("no error for a bad wrt (\(expected))")
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
                #expect("\(error)".contains("wrt"), "\(error)")
            }
        }
    }
}

@Suite struct CustomDerivativeTests {
    /// The value clipped to [-1, 1], the gradient passed straight through.
    static func straightThrough(_ x: Tensor) -> Tensor {
        customDerivative(of: { x in minimum(maximum(x, Tensor(-1)), Tensor(1)) }, pullback: { _, _, g in g })(x)
    }

    /// log(1 + eˣ), with a rule that stays finite where the naive derivative overflows.
    static func log1pexp(_ x: Tensor) -> Tensor {
        customDerivative(of: { x in `where`(x .> 30, x, log(1 + exp(x))) }, pullback: { x, _, g in g * sigmoid(x) })(x)
    }

    static let x: Tensor = [-3, -0.5, 0.25, 2]

    @Test func eagerlyItIsTheFunction() {
        #expect(Self.straightThrough(Self.x).scalars == [-1, -0.5, 0.25, 1])
        #expect(Self.log1pexp(800).scalar == 800)
    }

    @Test func theRuleReplacesTheTrueDerivative() {
        let f: (Tensor) -> Tensor = { x in sum(Self.straightThrough(x) * x) }
        // d/dx of sum(c(x) · x) with c' = 1 (the rule): c(x) + x.
        let expected = Self.straightThrough(Self.x) + Self.x
        #expect(relativeError(grad(f)(Self.x), expected) <= 1e-15)
        #expect(relativeError(compile(grad(f))(Self.x), expected) <= 1e-15)
        let v: Tensor = [1, -2, 0.5, 3]
        #expect(relativeError(jvp(f, at: Self.x, tangent: v).tangent, Tensor(innerProduct(expected, v))) <= 1e-14)
        #expect(jvp(Self.straightThrough, at: Self.x, tangent: v).tangent.scalars == v.scalars)
        #expect(relativeError(compile(jvp(Self.straightThrough))(Self.x, v).tangent, v) <= 1e-15)
        #expect(vjp(Self.straightThrough, at: Self.x, cotangent: v).cotangent.scalars == v.scalars)
        #expect(relativeError(compile(vjp(Self.straightThrough))(Self.x, v).cotangent, v) <= 1e-15)
        // The rule's second derivative is zero (the pullback is g itself).
        #expect(hessian(f)(Self.x).scalars == hessian { x in sum(x * x) }(Self.x).scalars)
    }

    @Test func aStableRule() {
        let f: (Tensor) -> Tensor = { x in sum(Self.log1pexp(x)) }
        let big: Tensor = [800, -800, 0]
        #expect(grad(f)(big).scalars == [1, 0, 0.5])
        #expect(compile(grad(f))(big).scalars == [1, 0, 0.5])
        #expect(jvp(f, at: big, tangent: [1, 1, 1]).tangent.scalar == 1.5)
        let s = sigmoid(Self.x).scalars
        #expect(relativeError(elementwiseGrad(Self.log1pexp)(Self.x), Tensor(s)) <= 1e-15)
        // Second order through the rule: σ'(x) = σ(1 − σ), in every mode and compiled.
        let second = Tensor(s.map { $0 * (1 - $0) })
        #expect(relativeError(elementwiseGrad(elementwiseGrad(Self.log1pexp))(Self.x), second) <= 1e-14)
        #expect(relativeError(deriv(deriv(Self.log1pexp))(Self.x), second) <= 1e-14)
        #expect(relativeError(compile(elementwiseGrad(elementwiseGrad(Self.log1pexp)))(Self.x), second) <= 1e-14)
        #expect(relativeError(hessian(f)(big), Tensor(shape: [3, 3], scalars: [0, 0, 0, 0, 0, 0, 0, 0, 0.25])) <= 1e-15)
    }

    @Test func secondOrderAgainstCentralDifferences() {
        let f: (Tensor) -> Tensor = { x in sum(Self.log1pexp(x * x) * sin(x)) }
        var rng = SplitMix64(seed: 3)
        checkGradients(f, at: Self.x, rng: &rng)
        let v = rng.tensor([4]), w = rng.tensor([4])
        let forwardOverForward: (Tensor) -> Tensor = { p in jvp(f, at: p, tangent: w).tangent }
        let h = 1e-5
        let fd = (forwardOverForward(Self.x + h * v).scalar - forwardOverForward(Self.x - h * v).scalar) / (2 * h)
        #expect(Swift.abs(jvp(forwardOverForward, at: Self.x, tangent: v).tangent.scalar - fd) <= 1e-6 * max(1, Swift.abs(fd)))
        #expect(relativeError(compile(hessian(f))(Self.x), hessian(f)(Self.x)) <= 1e-9)
        #expect(relativeError(grad { x in sum(grad(f)(x) * w) }(Self.x), hessianVectorProduct(f)(Self.x, w)) <= 1e-12)
    }

    @Test func givenAndDerivedPushforwardsAgree() {
        let derived = customDerivative(of: { x in x * x * x }, pullback: { x, _, g in 3 * g * x * x })
        let given = customDerivative(of: { x in x * x * x }, pullback: { x, _, g in 3 * g * x * x },
                                     pushforward: { x, _, t in 3 * t * x * x })
        let v: Tensor = [0.5, 1, -1, 2]
        #expect(relativeError(jvp(derived, at: Self.x, tangent: v).tangent, jvp(given, at: Self.x, tangent: v).tangent) <= 1e-15)
        for mode in [JacobianMode.forward, .reverse] {
            #expect(relativeError(jacobian(derived, mode: mode)(Self.x), jacobian(given, mode: mode)(Self.x)) <= 1e-15)
        }
        let loss: (Tensor) -> Tensor = { x in sum(sin(derived(x))) }
        let lossGiven: (Tensor) -> Tensor = { x in sum(sin(given(x))) }
        let truth: (Tensor) -> Tensor = { x in sum(sin(x * x * x)) }
        #expect(relativeError(hessian(loss)(Self.x), hessian(truth)(Self.x)) <= 1e-12)
        #expect(relativeError(hessian(lossGiven)(Self.x), hessian(truth)(Self.x)) <= 1e-12)
        #expect(relativeError(compile(hessian(lossGiven))(Self.x), hessian(truth)(Self.x)) <= 1e-9)
    }

    @Test func parameterListsAndTwoArguments() {
        // A deliberately different rule: ∂/∂a = 2b (true: b), ∂/∂b = a.
        let list = customDerivative(of: { (p: [Tensor]) in p[0] * p[1] }, pullback: { p, _, g in [2 * g * p[1], g * p[0]] })
        let pair = customDerivative(of: { (a: Tensor, b: Tensor) in a * b }, pullback: { a, b, _, g in (2 * g * b, g * a) })
        let (a, b): (Tensor, Tensor) = ([1, 2, 3], [4, 5, 6])
        let ta: Tensor = [1, 0, -1], tb: Tensor = [0.5, 0.5, 2]
        let expected = 2 * ta * b + tb * a
        #expect(relativeError(jvp(list, at: [a, b], tangent: [ta, tb]).tangent, expected) <= 1e-15)
        #expect(relativeError(jvp(pair, at: (a, b), tangent: (ta, tb)).tangent, expected) <= 1e-15)
        #expect(relativeError(jvp({ p in list([p[0], b]) }, at: [a], tangent: [ta]).tangent, 2 * ta * b) <= 1e-15)
        let g = grad { (p: [Tensor]) in sum(list(p)) }([a, b])
        #expect(g[0].scalars == (2 * b).scalars && g[1].scalars == a.scalars)
        #expect(grad({ (a: Tensor, b: Tensor) in sum(pair(a, b)) }, wrt: [0, 1])(a, b).map(\.scalars) == [(2 * b).scalars, a.scalars])
        let compiled = compile(grad({ (p: [Tensor]) in sum(list(p)) }, wrt: [1]))([a, b])
        #expect(compiled[0].scalars == a.scalars)
        for mode in [JacobianMode.forward, .reverse] {
            let j = jacobian({ (p: [Tensor]) in list(p) }, mode: mode)([a, b])
            #expect(j[0].scalars == jacobian { x in 2 * x * b }(a).scalars, "\(mode)")
            #expect(j[1].scalars == jacobian { x in a * x }(b).scalars, "\(mode)")
        }
    }

    /// Tensors the function closes over keep their true derivative; the arguments get the rule's.
    @Test func closedOverTensorsKeepTheirDerivative() {
        func f(_ a: Tensor, _ w: Tensor) -> Tensor {
            let scaled = customDerivative(of: { x in w * sin(x) }, pullback: { _, _, g in 2 * g })
            return sum(scaled(a))
        }
        let (a, w): (Tensor, Tensor) = ([0.5, 1, 2], 3)
        let g = grad(f, wrt: [0, 1])(a, w)
        #expect(g[0].scalars == [2, 2, 2])
        #expect(Swift.abs(g[1].scalar - sum(sin(a)).scalar) <= 1e-15)
        let c = compile(grad(f, wrt: [0, 1]))(a, w)
        #expect(c[0].scalars == [2, 2, 2] && Swift.abs(c[1].scalar - g[1].scalar) <= 1e-15)
        #expect(Swift.abs(jvp(f, at: (a, w), tangent: (Tensor([1, 0, 0]), Tensor(1))).tangent.scalar - (2 + g[1].scalar)) <= 1e-14)
    }

    /// DESIGN.md's nesting check through a rule: d/dx [x · (d/dy h(x + y))(1)] = 1 for h = id.
    @Test func nestedLevelsStayApart() {
        let h = customDerivative(of: { x in x * 1 }, pullback: { _, _, g in g })
        let f: (Tensor) -> Tensor = { x in x * grad { y in h(x + y) }(1) }
        #expect(grad(f)(2).scalar == 1 && deriv(f)(2).scalar == 1 && compile(grad(f))(2).scalar == 1)
    }

    /// A rule of a function to a scalar, batched in both modes (Jacobians, a Hessian).
    @Test func batchedRulesOfAReduction() {
        let norm = customDerivative(of: { x in sqrt(sum(x * x)) }, pullback: { x, y, g in g * x / y })
        let truth: (Tensor) -> Tensor = { x in sqrt(sum(x * x)) }
        let x: Tensor = [[1, -2, 0.5], [3, 1, -1]]
        for mode in [JacobianMode.forward, .reverse] {
            #expect(relativeError(jacobian(norm, mode: mode)(x), jacobian(truth, mode: mode)(x)) <= 1e-15, "\(mode)")
        }
        #expect(relativeError(hessian(norm)(x), hessian(truth)(x)) <= 1e-14)
        #expect(relativeError(compile(hessian(norm))(x), hessian(truth)(x)) <= 1e-12)
    }

    /// The function closes over the traced tensor and its argument is a constant: only the
    /// closed-over tensor has a derivative, its true one.
    @Test func constantArgumentsOfAClosure() {
        let f: (Tensor) -> Tensor = { w in
            sum(customDerivative(of: { x in w * x * x }, pullback: { _, _, g in 100 * g })([1, 2]))
        }
        #expect(grad(f)(3).scalar == 5)
        #expect(compile(grad(f))(3).scalar == 5)
        #expect(deriv(f)(3).scalar == 5)
    }

    /// Plain control flow in the function itself is guarded as anywhere else: the compiled
    /// function specializes again when the branch changes.
    @Test func branchesInTheFunctionAreGuarded() {
        let f = customDerivative(of: { x in sum(x) > 0 ? x * x : -x }, pullback: { _, _, g in 3 * g })
        let g = compile(grad { x in sum(f(x)) })
        #expect(g([1, 2]).scalars == [3, 3])
        #expect(g([-1, -2]).scalars == [3, 3])
        let value = compile(f)
        #expect(value([1, 2]).scalars == [1, 4] && value([-1, -2]).scalars == [1, 2])
    }

    /// A rule may branch on its argument with plain Swift control flow: the branch is a guard of
    /// the trace, so compiled code specializes again when it changes.
    @Test func rulesBranchOnTheirArgument() {
        let signed = customDerivative(of: { x in x * 2 }, pullback: { x, _, g in x > 0 ? g : -3 * g })
        let g = grad { x in signed(x) }
        #expect(g(1).scalar == 1 && g(-1).scalar == -3)
        let compiled = compile(g)
        #expect(compiled(1).scalar == 1 && compiled(-1).scalar == -3 && compiled(2).scalar == 1)
        #expect(compile(deriv(signed))(-1).scalar == -3)
        let given = customDerivative(of: { x in x * 2 }, pullback: { _, _, g in g }, pushforward: { x, _, t in x > 0 ? t : 5 * t })
        let forward = compile(deriv(given))
        #expect(forward(-1).scalar == 5 && forward(1).scalar == 1 && forward(-2).scalar == 5)
    }

    /// A rule that closes over a tensor of an enclosing trace: differentiated through, at the outer level.
    @Test func rulesCloseOverOuterTensors() {
        let outer: (Tensor) -> Tensor = { w in
            let scaled = customDerivative(of: { x in x * 1 }, pullback: { _, _, g in g * w * w })
            return sum(grad { x in sum(scaled(x)) }([1, 2]))
        }
        // inner gradient: 2 · w², so d/dw = 4w.
        #expect(grad(outer)(3).scalar == 12)
        #expect(compile(grad(outer))(3).scalar == 12)
        #expect(deriv(outer)(3).scalar == 12)
    }

    @Test func badRulesAreReported() {
        let wrongShape = customDerivative(of: { x in sum(x) }, pullback: { _, _, g in g })
        let branching = customDerivative(of: { x in x * 2 }, pullback: { _, _, g in g > 0 ? g : -g })
        let wrongTangent = customDerivative(of: { x in x * 2 }, pullback: { _, _, g in 2 * g }, pushforward: { x, _, _ in sum(x) })
        let cases: [(String, () -> Void)] = [
            ("the pullback must return one cotangent per argument", { _ = grad(wrongShape)([1, 2]) }),
            ("branched on the cotangent", { _ = grad { x in sum(branching(x)) }(1) }),
            ("the pushforward must return one tangent", { _ = jvp(wrongTangent, at: [1, 2], tangent: [1, 1]) }),
        ]
        for (expected, body) in cases {
            do {
                try Tensor.checkingShapes { body() }
                Issue.record("no error for \(expected)")
            } catch {
                #expect("\(error)".contains(expected) && "\(error)".contains("customDerivative"), "\(error)")
            }
        }
    }
}
