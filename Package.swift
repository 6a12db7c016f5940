// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "AtomikSim",
    products: [
        .executable(name: "atomik", targets: ["atomik"]),
        .library(name: "AtomikCore", targets: ["AtomikCore"]),
        .library(name: "AtomikProgram", targets: ["AtomikProgram"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The golden model: delta-state algebra, standard library only.
        .target(name: "AtomikCore"),
        // The instruction set: opcodes, SWAP-keep, instruction-word fields.
        .target(name: "AtomikISA", dependencies: ["AtomikCore"]),
        // Programs: text and binary formats, streaming readers, the software engine.
        .target(name: "AtomikProgram", dependencies: ["AtomikCore", "AtomikISA"]),
        // The cycle-level model of the hardware unit, register by register.
        .target(name: "AtomikCycle", dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram"]),
        // Seedable, portable random stimulus.
        .target(name: "AtomikStimulus", dependencies: ["AtomikCore", "AtomikISA"]),
        // The seed articles' programs, runnable.
        .target(name: "AtomikExamples", dependencies: ["AtomikCore"]),
        .executableTarget(
            name: "atomik",
            dependencies: [
                "AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikExamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "atomik-bench",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikStimulus"],
            path: "Sources/AtomikBench"
        ),
        .testTarget(name: "AtomikCoreTests", dependencies: ["AtomikCore", "AtomikStimulus"]),
        .testTarget(
            name: "AtomikProgramTests",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikStimulus"]
        ),
        .testTarget(
            name: "AtomikCycleTests",
            dependencies: ["AtomikCore", "AtomikISA", "AtomikProgram", "AtomikCycle", "AtomikStimulus"]
        ),
        .testTarget(name: "AtomikExamplesTests", dependencies: ["AtomikExamples"]),
    ]
)
