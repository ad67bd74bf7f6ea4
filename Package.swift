// swift-tools-version:6.0
import PackageDescription

/// Sluice: PeerTube-ready HLS from FFmpeg's C libraries, decoding each source once.
///
/// Layers, bottom to top: `CFFmpeg` (the C libraries) and `CSupport` (the few shims that must be compiled C),
/// `LibAV` (a thin safe wrapper; no raw pointer leaves it), `Ladder` (pure rules: tiers, ladder,
/// fps, bitrate), `Packaging` (pure Swift: playlists, hashes, manifests), `Transcoding` (probe and
/// the decode-once engine), `Jobs` (the job store, the worker pool and the isolated executor that
/// runs every job in a child process), `Ingest` (the watch folder, library import and HTTP
/// services), and the `sluice` executable.
let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavcodec-dev", "libavformat-dev", "libavfilter-dev",
                              "libavutil-dev", "libswscale-dev", "libswresample-dev", "pkg-config"])]
        ),
        .target(name: "CSupport", dependencies: ["CFFmpeg"]),
        .target(name: "LibAV", dependencies: ["CFFmpeg", "CSupport"]),
        .target(name: "Ladder", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Packaging", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Transcoding", dependencies: ["LibAV", "Ladder", "Packaging"]),
        .target(name: "Jobs", dependencies: [
            "Transcoding", "LibAV", "Ladder", "Packaging", "CSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ]),
        .target(name: "Ingest", dependencies: [
            "Jobs", "Transcoding", "Ladder", "Packaging",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // The one way Sluice talks to a PeerTube instance: HTTP (async-http-client), the runner
        // routes, OAuth, REST and the resumable upload, socket.io notifications; the runner and publishing use it.
        .target(name: "PeerTubeClient", dependencies: [
            "Ladder",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOFoundationCompat", package: "swift-nio"),
            .product(name: "WSClient", package: "swift-websocket"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Runner", dependencies: [
            "Jobs", "Transcoding", "LibAV", "Ladder", "Packaging", "PeerTubeClient",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Puts videos on a PeerTube channel: metadata, the resumable upload, durable publications.
        .target(name: "Publishing", dependencies: [
            "Jobs", "Transcoding", "LibAV", "Ladder", "Packaging", "PeerTubeClient",
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "sluice", dependencies: [
            "Transcoding", "Ladder", "Packaging", "Jobs", "Ingest", "Runner", "PeerTubeClient", "Publishing",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "LadderTests", dependencies: ["Ladder"]),
        .testTarget(name: "PackagingTests", dependencies: ["Packaging"]),
        .testTarget(name: "TranscodingTests", dependencies: ["Transcoding", "Ladder", "Packaging", "LibAV", "TestSupport"]),
        // Starts the real `sluice` executable as each job's child process, with faults injected into FFmpeg.
        .testTarget(name: "IsolationTests", dependencies: [
            "TestSupport",
            "Jobs", "Ingest", "Transcoding", "Ladder", "Packaging", "sluice",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
        // Test-only helpers the test targets share (making media with the ffmpeg CLI).
        .target(name: "TestSupport", dependencies: ["LibAV"], path: "Tests/TestSupport"),
        .testTarget(name: "RunnerTests", dependencies: [
            "TestSupport",
            "Runner", "PeerTubeClient", "Publishing", "Ingest", "Jobs", "LibAV", "Ladder", "sluice",
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "IngestTests", dependencies: [
            "TestSupport",
            "Ingest", "Jobs", "Transcoding", "Ladder",
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
    ]
)
