// swift-tools-version: 6.1
// Benchmarks for RecoupStore, kept in their own package so the main build does not
// depend on ordo-one/benchmark. Run from this folder:
//   swift package --allow-writing-to-package-directory benchmark
import PackageDescription

let package = Package(
    name: "RecoupBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Recoup", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                .product(name: "RecoupStore", package: "Recoup"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
