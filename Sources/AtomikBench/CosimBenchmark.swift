import AtomikCosim
import AtomikCycle
import AtomikRTL
import AtomikStimulus
import Foundation

/// Cycles per second of Verilator alone (the shim stepping recorded stimulus),
/// of lockstep co-simulation (model + core + Verilator + compare) and of Icarus
/// co-simulation (vector files), at W=64, C=256.
enum CosimBenchmark {

    static func run(cycles: Int, icarusCycles: Int) {
        let p = UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1)
        print("co-simulation benchmark: \(p), uniform recipe without idle cycles, release build")
        do {
            let shim = try VerilatorShim.shared(p)
            let items = { (n: Int) in RandomProgram(width: 64, contexts: 256, count: n, seed: 21, idleRate: 0) }

            // Verilator alone: the model records stimulus batches (not timed); only the shim is timed.
            var alone = Duration.zero
            var aloneCycles = 0
            let rtl = CycleBuffers(capacity: 4096, width: 64)
            shim.lock.lock()
            let recorder = CycleRecorder(CycleBuffers(capacity: 4096, width: 64)) { model in
                let start = ContinuousClock.now
                shim.step(inputs: model, outputs: rtl)
                alone += ContinuousClock.now - start
                aloneCycles += model.count
                return model
            }
            let sim = try CycleSimulator(p, recorder: recorder) { _ in }
            for item in items(cycles) { try sim.execute(item) }
            _ = try sim.finish()
            shim.lock.unlock()
            let aloneRate = Double(aloneCycles) / alone.seconds

            // Lockstep co-simulation, everything timed.
            let start = ContinuousClock.now
            let outcome = try Cosimulation.lockstep(CosimOptions(parameters: p), shim: shim, items: items(cycles))
            let lockRate = Double(outcome.cycles) / (ContinuousClock.now - start).seconds

            // Icarus co-simulation from vector files.
            let icarusStart = ContinuousClock.now
            let icarus = try Cosimulation.icarus(CosimOptions(parameters: p), items: Array(items(icarusCycles)))
            let icarusRate = Double(icarus.cycles) / (ContinuousClock.now - icarusStart).seconds

            func row(_ name: String, _ n: Int, _ rate: Double, _ note: String) {
                let pad = { (s: String, w: Int) in s + String(repeating: " ", count: max(1, w - s.count)) }
                print(pad(name, 40) + pad("\(n)", 11) + pad(String(format: "%.2f", rate / 1e6), 13) + note)
            }
            print("engine                                  cycles     M cycles/s   ")
            row("Verilator alone (shim, batches of 4096)", aloneCycles, aloneRate, "")
            row("lockstep: model + core + Verilator", outcome.cycles, lockRate,
                String(format: "%.0f%% of Verilator alone, %d mismatches", 100 * lockRate / aloneRate, outcome.mismatches))
            row("Icarus co-simulation (vector files)", icarus.cycles, icarusRate, "\(icarus.mismatches) mismatches")
        } catch {
            print("co-simulation benchmark failed: \(error)")
        }
    }
}
