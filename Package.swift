// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Adjoint",
    products: [
        .library(name: "Adjoint", targets: ["Adjoint"]),
        .executable(name: "adjoint", targets: ["adjoint"]),
        .executable(name: "adjoint-bench", targets: ["adjoint-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // libtcc (Debian's libtcc-dev); version differences are hidden in shim.h.
        .systemLibrary(name: "CTinyCC", path: "Sources/CTinyCC"),
        // Heavy kernels that generated code calls; always built optimized.
        .target(
            name: "AdjointRuntime",
            path: "Runtime",
            publicHeadersPath: "include",
            cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]
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
        .executableTarget(name: "adjoint-bench", dependencies: ["Adjoint"]),
        .testTarget(
            name: "AdjointTests",
            dependencies: [
                "Adjoint",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // End-to-end tests of the built `adjoint` executable (found next to the test bundle).
        .testTarget(
            name: "CLITests",
            dependencies: ["Adjoint"],
            exclude: ["Golden"]
        ),
    ]
)
