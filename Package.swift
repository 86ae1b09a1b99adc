// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Adjoint",
    products: [
        .library(name: "Adjoint", targets: ["Adjoint"]),
        .executable(name: "adjoint", targets: ["adjoint"]),
        .executable(name: "adjoint-bench", targets: ["adjoint-bench"]),
        .executable(name: "adjoint-demo", targets: ["adjoint-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // libtcc (Debian's libtcc-dev); version differences are hidden in shim.h.
        // A missing libtcc stops the build with an #error naming libtcc-dev (shim.h).
        .systemLibrary(name: "CTinyCC", path: "Sources/CTinyCC", providers: [.apt(["libtcc-dev"])]),
        // Heavy kernels that generated code calls. No unsafeFlags here or in any target the
        // library depends on: SwiftPM refuses them in a versioned dependency, so a user's package
        // could not depend on Adjoint. Release builds compile C at -O2, which vectorizes the
        // matrix kernel as -O3 did (README, "Installation", has the figures); the runtime calls
        // no libm function, so -fno-math-errno had nothing to do.
        .target(
            name: "AdjointRuntime",
            path: "Runtime",
            publicHeadersPath: "include"
        ),
        .target(
            name: "Adjoint",
            dependencies: ["CTinyCC", "AdjointRuntime"]
        ),
        .executableTarget(
            name: "adjoint",
            dependencies: [
                "Adjoint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // peers/: the Python scripts that measure the peers (JAX, autograd, CasADi, NumPy) in the
        // same run, when their venv exists (scripts/peers-venv).
        .executableTarget(name: "adjoint-bench", dependencies: ["Adjoint"], exclude: ["peers"]),
        .executableTarget(name: "adjoint-demo", dependencies: ["Adjoint"]),
        // Examples: `swift run -c release example-logistic` (and -rosenbrock, -digits, -gp, -cnn). Their
        // shared code and the digits data loader live in ExampleSupport, which a test also uses.
        .target(name: "ExampleSupport", dependencies: ["Adjoint"], path: "Sources/Examples/ExampleSupport"),
        .executableTarget(name: "example-logistic", dependencies: ["Adjoint", "ExampleSupport"],
                          path: "Sources/Examples/example-logistic"),
        .executableTarget(name: "example-rosenbrock", dependencies: ["Adjoint", "ExampleSupport"],
                          path: "Sources/Examples/example-rosenbrock"),
        .executableTarget(name: "example-digits", dependencies: ["Adjoint", "ExampleSupport"],
                          path: "Sources/Examples/example-digits"),
        .executableTarget(name: "example-gp", dependencies: ["Adjoint", "ExampleSupport"],
                          path: "Sources/Examples/example-gp"),
        .executableTarget(name: "example-cnn", dependencies: ["Adjoint", "ExampleSupport"],
                          path: "Sources/Examples/example-cnn"),
        // Random programs checked four ways (compiled/interpreted, forward/reverse, central
        // differences, repeatability), for RandomProgramTests and `scripts/stress`.
        .target(name: "AdjointCheck", dependencies: ["Adjoint", "ExampleSupport"]),
        .executableTarget(name: "adjoint-stress", dependencies: ["Adjoint", "AdjointCheck"]),
        // What the test targets share (a seeded generator).
        .target(name: "TestSupport", dependencies: ["ExampleSupport"], path: "Tests/TestSupport"),
        .testTarget(
            name: "AdjointTests",
            dependencies: [
                "Adjoint",
                "TestSupport",
                "AdjointCheck",
                "AdjointRuntime",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(name: "ExampleTests", dependencies: ["Adjoint", "ExampleSupport"]),
        // End-to-end tests of the built `adjoint` executable (found next to the test bundle).
        .testTarget(
            name: "CLITests",
            dependencies: ["Adjoint", "TestSupport"]
        ),
    ]
)
