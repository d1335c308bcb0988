// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Recoup",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "recoup", targets: ["recoup"]),
        .library(name: "RecoupSupport", targets: ["RecoupSupport"]),
        .library(name: "RecoupStore", targets: ["RecoupStore"]),
        .library(name: "RecoupGenerator", targets: ["RecoupGenerator"]),
        .library(name: "RecoupEngine", targets: ["RecoupEngine"]),
        .library(name: "RecoupKPI", targets: ["RecoupKPI"]),
        .library(name: "RecoupQuery", targets: ["RecoupQuery"]),
        .library(name: "RecoupModels", targets: ["RecoupModels"]),
        .library(name: "RecoupReports", targets: ["RecoupReports"]),
        .library(name: "RecoupServer", targets: ["RecoupServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "RecoupSupport"),
        .target(
            name: "RecoupStore",
            dependencies: ["RecoupSupport", "CZstd", "CLZ4"],
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(name: "RecoupGenerator", dependencies: ["RecoupStore"]),
        .target(
            name: "RecoupEngine",
            dependencies: ["RecoupStore"],
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "RecoupKPI",
            dependencies: ["RecoupEngine", "RecoupStore"],
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "RecoupQuery",
            dependencies: ["RecoupKPI", "RecoupEngine", "RecoupStore"],
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "RecoupModels",
            dependencies: ["RecoupEngine", "RecoupKPI", "RecoupStore"],
            swiftSettings: [.unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .target(
            name: "RecoupReports",
            dependencies: ["RecoupKPI", "RecoupQuery", "RecoupModels", "RecoupStore", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "RecoupServer",
            dependencies: [
                "RecoupQuery", "RecoupKPI", "RecoupModels", "RecoupStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ],
            resources: [.embedInCode("openapi.yaml")]
        ),
        .executableTarget(
            name: "recoup",
            dependencies: [
                "RecoupStore", "RecoupGenerator", "RecoupEngine", "RecoupKPI", "RecoupQuery", "RecoupModels", "RecoupReports", "CEdit",
                "RecoupServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "RecoupSupportTests", dependencies: ["RecoupSupport"]),
        .testTarget(name: "RecoupStoreTests", dependencies: ["RecoupStore"]),
        .testTarget(name: "RecoupGeneratorTests", dependencies: ["RecoupGenerator", "RecoupStore"]),
        .testTarget(name: "RecoupEngineTests", dependencies: ["RecoupEngine", "RecoupStore"]),
        .testTarget(name: "RecoupQueryTests", dependencies: ["RecoupQuery", "RecoupKPI", "RecoupStore", "RecoupGenerator"], exclude: ["Fixtures"]),
        .testTarget(name: "RecoupModelsTests", dependencies: ["RecoupModels", "RecoupStore", "RecoupGenerator"]),
        .testTarget(name: "RecoupReportsTests", dependencies: ["RecoupReports", "RecoupKPI", "RecoupStore", "RecoupGenerator"]),
        .testTarget(
            name: "RecoupServerTests",
            dependencies: [
                "RecoupServer", "RecoupModels", "RecoupStore", "RecoupGenerator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
            ]
        ),
        .testTarget(name: "RecoupKPITests", dependencies: ["RecoupKPI", "RecoupEngine", "RecoupStore", "RecoupGenerator"]),
    ],
    swiftLanguageModes: [.v5]
)
