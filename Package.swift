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
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
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
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Migrations/0001_event_log.sql")],
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
            name: "SluiceResources",
            dependencies: ["SluiceCore", "SluiceLog"],
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
                "SluiceCore",
                "SluiceAdapters",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "SluiceTesting",
            dependencies: ["SluiceCore", "SluiceLog"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore",
                "SluiceLog",
                "SluiceLogSQLite",
                "SluiceWorkflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
            dependencies: ["SluiceCore", "SluiceWorkflows"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceResourcesTests",
            dependencies: ["SluiceCore", "SluiceLog", "SluiceResources"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceAdaptersLocalTests",
            dependencies: ["SluiceCore", "SluiceAdapters", "SluiceAdaptersLocal"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["SluiceCore", "SluiceTesting"],
            swiftSettings: strictSettings
        ),
    ]
)
