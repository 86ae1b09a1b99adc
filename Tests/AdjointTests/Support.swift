#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// libm under names that `import Adjoint`'s Tensor overloads cannot shadow.
func Foundation_exp(_ x: Double) -> Double { exp(x) }
func Foundation_cos(_ x: Double) -> Double { cos(x) }
