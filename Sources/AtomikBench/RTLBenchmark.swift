import AtomikCycle
import AtomikRTL
import AtomikStimulus
import Foundation

/// Cycles per second of the RTL under Verilator and Icarus (testbench replay
/// from vector files, trace written) and of the cycle model, on one random
/// stream at W=64, C=256; also the cost of a cold and a cached Verilator build.
enum RTLBenchmark {

    static func row(_ name: String, _ cycles: Int, _ build: String, _ secs: Double, _ rate: Double) -> String {
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
        return pad(name, 32) + pad("\(cycles)", 11) + pad(build, 10) + pad(String(format: "%.3f", secs), 10)
            + String(format: "%.3f", rate / 1e6)
    }

    static func run(operations: Int) {
        let p = UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1)
        print("RTL benchmark: \(p), \(operations) random operations, release build")
        let items = Array(RandomProgram(width: 64, contexts: 256, count: operations, seed: 5, idleRate: 0))

        var modelCycles = 0
        let modelStart = ContinuousClock.now
        let sim = try! CycleSimulator(p) { _ in }
        try! sim.execute(items)
        modelCycles = try! sim.finish().cycles
        let modelRate = Double(modelCycles) / (ContinuousClock.now - modelStart).seconds

        print("engine                          cycles     build s   run s     M cycles/s")
        print(row("cycle model", modelCycles, "-", Double(modelCycles) / modelRate, modelRate))
        for simulator in RTLSimulator.allCases {
            do {
                let buildStart = ContinuousClock.now
                try simulator.build(p, cycles: modelCycles)
                let build = (ContinuousClock.now - buildStart).seconds
                let cachedStart = ContinuousClock.now
                try simulator.build(p, cycles: modelCycles)
                let cached = (ContinuousClock.now - cachedStart).seconds
                let run = try simulator.run(p, items: items, timeout: .seconds(3600))
                let secs = run.simulationTime.seconds
                print(row("\(simulator.rawValue) (trace on)", run.cycles, String(format: "%.1f/%.2f", build, cached),
                          secs, Double(run.cycles) / secs))
                if run.mismatches != 0 { print("  warning: \(run.mismatches) cycles differ from the model") }
            } catch {
                print("\(simulator.rawValue): \(error)")
            }
        }
        print("build s: first build / second (cached) lookup; run s: the simulator process, vectors loaded and trace written")
    }
}
