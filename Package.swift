// swift-tools-version:6.0
import PackageDescription

/// The cycle loop and the core's hot paths keep their memory safety by
/// construction (single-threaded, no overlapping accesses), so release builds
/// drop the dynamic exclusivity checks that otherwise cost more than a cycle.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "AtomikSim",
    products: [
        .executable(name: "atomik", targets: ["atomik"]),
        .library(name: "AtomikCore", targets: ["AtomikCore"]),
        .library(name: "AtomikProgram", targets: ["AtomikProgram"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // Support for long runs: worker threads between two cores, interrupts, progress lines, the tool's version.
        .target(name: "AtomikSupport"),
        // The golden model: delta-state algebra, standard library only.
        .target(name: "AtomikCore"),
        // The instruction set: opcodes, SWAP-keep, instruction-word fields.
        .target(name: "AtomikISA", dependencies: ["AtomikCore"]),
        // Programs: text and binary formats, streaming readers, the software engine.
        .target(name: "AtomikProgram", dependencies: ["AtomikCore", "AtomikISA", "AtomikSupport"]),
        // The cycle-level model of the hardware unit, register by register.
        .target(name: "AtomikCycle", dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikSupport"],
                swiftSettings: hotPath),
        // Designs under test: descriptions of any ATOMiK RTL's ports and protocol (YAML), and presets.
        .target(name: "AtomikDUT", dependencies: ["AtomikISA", "AtomikProgram", .product(name: "Yams", package: "Yams")]),
        // The RTL under Icarus Verilog and Verilator: our unit through its testbench, any DUT through a generated bridge.
        .target(name: "AtomikRTL", dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikDUT",
                                                 "AtomikSupport"]),
        // Co-simulation: model vs RTL cycle by cycle, model vs core operation by operation.
        .target(
            name: "AtomikCosim",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikRTL", "AtomikStimulus", "AtomikDUT",
                           "AtomikSupport"],
            swiftSettings: hotPath
        ),
        // Test vectors for RTL testbenches (our unit's cycle by cycle, any DUT's by transaction), and functional coverage.
        .target(name: "AtomikVectors", dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikStimulus",
                                              "AtomikSupport", "AtomikDUT", "AtomikRTL", "AtomikCosim"],
                swiftSettings: hotPath),
        // Design exploration: model metrics, yosys area, nextpnr Fmax across design points.
        .target(
            name: "AtomikExplore",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikRTL", "AtomikStimulus", "AtomikDUT",
                           "AtomikCosim", "AtomikSupport"]
        ),
        // Fuzzing of every input parser.
        .target(
            name: "AtomikFuzz",
            dependencies: ["AtomikCore", "AtomikProgram", "AtomikCycle", "AtomikCosim", "AtomikExplore", "AtomikStimulus",
                           "AtomikDUT"]
        ),
        // Formal proofs of a described design: the harness and yosys-smtbmc.
        .target(name: "AtomikFormal", dependencies: ["AtomikCore", "AtomikISA", "AtomikCycle", "AtomikRTL", "AtomikDUT",
                                                     "AtomikSupport"]),
        // Seedable, portable random stimulus.
        .target(name: "AtomikStimulus", dependencies: ["AtomikCore", "AtomikISA"], swiftSettings: hotPath),
        // The seed articles' programs, runnable.
        .target(name: "AtomikExamples", dependencies: ["AtomikCore"]),
        .executableTarget(
            name: "atomik",
            dependencies: [
                "AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikRTL", "AtomikCosim", "AtomikStimulus",
                "AtomikVectors", "AtomikExplore", "AtomikFuzz", "AtomikExamples", "AtomikDUT", "AtomikSupport",
                "AtomikFormal", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "atomik-bench",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikRTL", "AtomikCosim",
                           "AtomikStimulus", "AtomikDUT"],
            path: "Sources/AtomikBench",
            swiftSettings: hotPath   // its result sinks are timed with the model
        ),
        .testTarget(name: "AtomikCoreTests", dependencies: ["AtomikCore", "AtomikStimulus"]),
        .testTarget(
            name: "AtomikProgramTests",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikStimulus", "AtomikSupport"]
        ),
        .testTarget(
            name: "AtomikCycleTests",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikStimulus"]
        ),
        .testTarget(
            name: "AtomikRTLTests",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikRTL", "AtomikStimulus", "AtomikDUT"]
        ),
        .testTarget(
            name: "AtomikCosimTests",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikRTL", "AtomikCosim",
                           "AtomikStimulus", "AtomikDUT", "AtomikVectors"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "AtomikDUTTests", dependencies: ["AtomikDUT", "AtomikProgram"]),
        .testTarget(
            name: "AtomikVectorsTests",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikRTL", "AtomikVectors",
                           "AtomikStimulus"]
        ),
        .testTarget(
            name: "AtomikExploreTests",
            dependencies: ["AtomikCycle", "AtomikExplore", "AtomikRTL", "AtomikDUT"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "AtomikFuzzTests", dependencies: ["AtomikFuzz"]),
        .testTarget(name: "AtomikExamplesTests", dependencies: ["AtomikExamples"]),
    ]
)
