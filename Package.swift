// swift-tools-version:6.1
import PackageDescription

/// Every target is compiled in Swift 6 mode with the upcoming features STYLE.md asks for.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sluice", targets: ["sluice"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "CSQLiteLayers",
            dependencies: ["CSQLite"]
        ),
        .target(
            name: "SluiceCore",
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceLog",
            dependencies: [
                "SluiceCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceLogSQLite",
            dependencies: [
                "SluiceCore",
                "SluiceLog",
                "CSQLite",
                "CSQLiteLayers",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Migrations/0001_event_log.sql"),
                .embedInCode("Migrations/0002_log_tiers.sql"),
                .embedInCode("Migrations/0003_settled_rowid.sql"),
                .embedInCode("Migrations/0004_recent_by_bucket.sql"),
                .embedInCode("Migrations/0005_recent_pair.sql"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceWorkflows",
            dependencies: [
                "SluiceCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceAdapters",
            dependencies: ["SluiceCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceAdaptersLocal",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                "SluiceWorkflows",
                "SluiceResources",
                "SluiceEngine",
                .product(name: "Collections", package: "swift-collections"),
                "SluiceCore",
                "SluiceAdapters",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceResources",
            dependencies: [
                "SluiceCore",
                "SluiceLog",
                "SluiceAdapters",
                "SluiceWorkflows",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceEngine",
            dependencies: [
                "SluiceResources",
                "SluiceCore",
                "SluiceLog",
                "SluiceWorkflows",
                "SluiceAdapters",
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceHTTP",
            dependencies: [
                "SluiceCore",
                "SluiceLog",
                "SluiceWorkflows",
                "SluiceEngine",
                "SluiceResources",
                "SluiceStack",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceStack",
            dependencies: [
                "SluiceCore",
                "SluiceLog",
                "SluiceResources",
                "SluiceEngine",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceApp",
            dependencies: [
                "SluiceCore",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceTesting",
            dependencies: [
                "SluiceCore", "SluiceLog", "SluiceStack", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore",
                "SluiceLog",
                "SluiceLogSQLite",
                "SluiceWorkflows",
                "SluiceEngine",
                "SluiceHTTP",
                "SluiceApp",
                "SluiceAdaptersLocal",
                "SluiceResources",
                "SluiceStack",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [
                .embedInCode("Example/stack.yaml"), .embedInCode("Example/pipeline.yaml"),
                .embedInCode("Example/digits.json"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceCoreTests",
            dependencies: ["SluiceCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceLogTests",
            dependencies: ["SluiceCore", "SluiceLog", "SluiceTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceLogSQLiteTests",
            dependencies: ["SluiceCore", "SluiceLog", "SluiceLogSQLite", "SluiceTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceWorkflowsTests",
            dependencies: [
                "SluiceCore", "SluiceWorkflows", .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceAdaptersLocalTests",
            dependencies: [
                .product(name: "Collections", package: "swift-collections"),
                "SluiceWorkflows",
                "SluiceEngine",
                "SluiceCore",
                "SluiceAdapters",
                "SluiceAdaptersLocal",
                "SluiceLog",
                "SluiceTesting",
                "SluiceResources",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceEngineTests",
            dependencies: [
                "SluiceResources",
                "SluiceTesting",
                "SluiceAdaptersLocal",
                .product(name: "Logging", package: "swift-log"),
                "SluiceCore",
                "SluiceLog",
                "SluiceLogSQLite",
                "SluiceWorkflows",
                "SluiceEngine",
                .product(name: "Collections", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceHTTPTests",
            dependencies: [
                "SluiceCore",
                "SluiceLog",
                "SluiceEngine",
                "SluiceHTTP",
                "SluiceAdaptersLocal",
                "SluiceResources",
                "SluiceStack",
                "SluiceTesting",
                "SluiceWorkflows",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceResourcesTests",
            dependencies: ["SluiceCore", "SluiceLog", "SluiceResources"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceStackTests",
            dependencies: [
                "SluiceCore", "SluiceLog", "SluiceResources", "SluiceEngine", "SluiceAdaptersLocal", "SluiceStack",
                "SluiceTesting",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceAppTests",
            dependencies: ["SluiceCore", "SluiceApp"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: [
                "SluiceCore", "SluiceTesting", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ]
)
