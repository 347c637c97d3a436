// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "keybatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keybatch", targets: ["keybatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libcsv, from Debian's libcsv-dev (no pkg-config file ships with it).
        .systemLibrary(
            name: "CLibCSV",
            providers: [.apt(["libcsv-dev"]), .brew(["libcsv"])]
        ),
        .target(name: "CSV", dependencies: ["CLibCSV"]),
        .target(
            name: "SeamAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SeamSandbox",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "KeyBatch",
            dependencies: [
                "CSV",
                "SeamAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "keybatch",
            dependencies: [
                "CSV",
                "KeyBatch",
                "SeamSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // `make bench`: provisioning and state benchmarks against the in-process sandbox.
        .executableTarget(
            name: "KeyBatchBench",
            dependencies: [
                "KeyBatch",
                "SeamAPI",
                "SeamSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/KeyBatchBench"
        ),
        // `make fuzz SECONDS=N`: libFuzzer over the CSV reader, validation and listings; in an
        // ordinary build, a replayer of saved inputs.
        .executableTarget(
            name: "KeyBatchFuzz",
            dependencies: ["CSV", "KeyBatch"],
            path: "Fuzz/KeyBatchFuzz"
        ),
        .testTarget(
            name: "CSVTests",
            dependencies: ["CSV", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "SeamAPITests",
            dependencies: [
                "SeamAPI",
                "SeamSandbox",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SeamSandboxTests",
            dependencies: [
                "SeamSandbox",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "KeyBatchTests",
            dependencies: ["KeyBatch", "SeamSandbox", "SeamAPI", "CSV", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PropertyBased", package: "swift-property-based")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
