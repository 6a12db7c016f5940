import AtomikCore
import AtomikCosim
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import Foundation

/// Cycles per second of Verilator alone (the shim stepping recorded stimulus),
/// of lockstep co-simulation (model + core + Verilator + compare) and of Icarus
/// co-simulation (vector files), at W=64, C=256; and where the lockstep's
/// time goes: each part of its work run alone on one thread.
enum CosimBenchmark {

    static func run(cycles: Int, icarusCycles: Int, rounds: Int = 3) {
        let p = UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1)
        print("co-simulation benchmark: \(p), the uniform recipe as `atomik cosim --recipe uniform` reads it, release build, "
              + "best of \(rounds) rounds of Verilator alone then lockstep")
        do {
            let shim = try VerilatorShim.shared(p)
            let items = { (n: Int) in try CosimStimulus.recipe(.uniform, seed: 21, length: n).stream(p) }

            // Rounds of Verilator alone, then lockstep: the best rate of each (the machine's other
            // load only ever slows a round), so both are measured under the same conditions.
            var aloneRate = 0.0, lockRate = 0.0, aloneCycles = 0
            var outcome = CosimOutcome(simulator: .verilator)
            for _ in 0..<rounds {
                // Verilator alone: the model records stimulus batches (not timed); only the shim is timed.
                var alone = Duration.zero
                aloneCycles = 0
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
                try sim.execute(from: try items(cycles))
                _ = try sim.finish()
                shim.lock.unlock()
                aloneRate = max(aloneRate, Double(aloneCycles) / alone.seconds)

                // Lockstep co-simulation, everything timed.
                let start = ContinuousClock.now
                outcome = try Cosimulation.lockstep(CosimOptions(parameters: p), shim: shim, next: try items(cycles))
                lockRate = max(lockRate, Double(outcome.cycles) / (ContinuousClock.now - start).seconds)
            }

            // Icarus co-simulation from vector files.
            let icarusStart = ContinuousClock.now
            let icarus = try Cosimulation.icarus(CosimOptions(parameters: p), items: try CosimStimulus.recipe(.uniform, seed: 21, length: icarusCycles).items(p))
            let icarusRate = Double(icarus.cycles) / (ContinuousClock.now - icarusStart).seconds

            // Where the time goes: the lockstep's parts, each alone on this thread.
            let parts = try mainThreadParts(p, cycles: outcome.cycles, items: { try items(cycles) })

            func row(_ name: String, _ n: Int, _ rate: Double, _ note: String) {
                let pad = { (s: String, w: Int) in s + String(repeating: " ", count: max(1, w - s.count)) }
                print(pad(name, 40) + pad("\(n)", 11) + pad(String(format: "%.2f", rate / 1e6), 13) + note)
            }
            print("engine                                  cycles     M cycles/s   ")
            row("Verilator alone (shim, batches of 4096)", aloneCycles, aloneRate, "")
            row("lockstep: model + core + Verilator", outcome.cycles, lockRate,
                String(format: "%.0f%% of Verilator alone, %d mismatches", 100 * lockRate / aloneRate, outcome.mismatches))
            row("Icarus co-simulation (vector files)", icarus.cycles, icarusRate, "\(icarus.mismatches) mismatches")
            print("where the lockstep's time goes, ns per cycle, each part alone on one thread:")
            print(String(format: "  worker thread: Verilator %.1f (+ comparing the batch)", 1e9 / aloneRate))
            print("  main thread:   " + parts.line)
            print(String(format: "  lockstep:      %.1f (the slower thread, plus what running both at once costs each)", 1e9 / lockRate))
        } catch {
            print("co-simulation benchmark failed: \(error)")
        }
    }

    /// The main thread's work in a lockstep run, each part alone on this thread, in ns per cycle
    /// (`cycles` is the lockstep's cycle count): generating the stimulus, the model recording its
    /// cycles, the software core.
    struct Parts {
        var stimulus: Double, model: Double, core: Double
        /// Printed, so that the core's results are computed.
        var checksum: UInt64
        /// All of it as the lockstep runs it (model and core compared result by result), batches dropped.
        var all: Double
        var line: String {
            String(format: "stimulus %.1f + model recording its cycles %.1f + software core %.1f = %.1f; as lockstep runs it %.1f",
                   stimulus, model, core, stimulus + model + core, all) + " (core results' checksum \(checksum))"
        }
    }

    static func mainThreadParts(_ p: UnitParameters, cycles: Int, items: () throws -> () throws -> ProgramItem?) throws -> Parts {
        func nanoseconds(_ body: () throws -> Void) rethrows -> Double {
            let start = ContinuousClock.now
            try body()
            return (ContinuousClock.now - start).seconds * 1e9 / Double(cycles)
        }
        let stimulus = try nanoseconds { let next = try items(); while try next() != nil {} }
        let model = try nanoseconds {
            let sim = try CycleSimulator(p, recorder: CycleRecorder(CycleBuffers(capacity: 4096, width: p.width)) { $0 }) { _ in }
            try sim.execute(from: try items())
            _ = try sim.finish()
        } - stimulus
        var checksum: UInt64 = 0
        let core = try nanoseconds {
            let next = try items(), table = try AtomikTable<UInt64>(contexts: p.contexts, width: p.width)
            var summary = RunSummary()
            while let item = try next() {
                if let r = try SoftwareEngine.execute(item, on: table, index: summary.operations, summary: &summary) {
                    checksum ^= r.value.low64 &+ UInt64(r.index)
                }
            }
        } - stimulus
        let all = try nanoseconds {
            _ = try Cosimulation.drive(p, next: try items(), recorder: CycleRecorder(CycleBuffers(capacity: 4096, width: p.width)) { $0 },
                                       stop: { false })
        }
        return Parts(stimulus: stimulus, model: model, core: core, checksum: checksum, all: all)
    }

    /// The main thread's parts alone, with no simulator and no subprocess: for `valgrind --tool=callgrind`,
    /// whose instruction counts repeat exactly where times do not.
    static func runParts(cycles: Int) {
        let p = UnitParameters(width: 64, contexts: 256, storage: .sram, readLatency: 1)
        print("lockstep main-thread parts: \(p), the uniform recipe, \(cycles) items, ns per item, each part alone on one thread")
        do {
            let parts = try mainThreadParts(p, cycles: cycles) {
                try CosimStimulus.recipe(.uniform, seed: 21, length: cycles).stream(p)
            }
            print(parts.line)
        } catch {
            print("benchmark failed: \(error)")
        }
    }
}
