import AtomikCore
import AtomikCosim
import AtomikDUT
import AtomikRTL
import AtomikStimulus
import Foundation

/// Transaction-level lockstep (driver, protocol, software core and checker)
/// against the same DUT stepped alone through its shim with the same
/// operations, in one run: our unit through its description, W=64 C=256 sram.
enum DUTBenchmark {
    static func run(cycles: Int) {
        do {
            let dut = try DUTPreset.atomikUnit.load(
                rtlDirectory: try RTLSimulator.repositoryRoot().appendingPathComponent("rtl").path,
                parameters: [("WIDTH", "64"), ("CONTEXTS", "256"), ("STORAGE", "1"), ("READ_LATENCY", "1")])
            print("DUT benchmark: \(dut.name) WIDTH=64 CONTEXTS=256 STORAGE=sram READ_LATENCY=1, \(cycles) random operations "
                  + "without idle cycles, release build, best of 3 runs")
            let items = Array(RandomProgram(width: 64, contexts: 256, count: cycles, seed: 21, idleRate: 0))
            let shim = try DUTShim.load(try DUTBuild.verilatorShim(dut))
            var alone = 0.0, lockstep = 0.0, aloneCycles = 0, lockCycles = 0, mismatches = 0
            for _ in 0..<3 {
                // Alone: each operation offered until taken, nothing else.
                let model = try shim.instance()
                var data: [UInt32] = [0, 0], beat: [UInt32] = [0, 0]
                var n = 0
                let start = ContinuousClock.now
                _ = model.step(control: 1, address: 0, data: &data, beat: &beat)
                for item in items {
                    guard case .op(let inst) = item else { continue }
                    let control = Int32(2 | DUTBridge.code(OperationKind(inst)) << 2)
                    data[0] = UInt32(truncatingIfNeeded: inst.data.low64); data[1] = UInt32(truncatingIfNeeded: inst.data.low64 >> 32)
                    repeat { n += 1 } while model.step(control: control, address: UInt32(inst.address), data: &data, beat: &beat) & 1 == 0
                }
                alone = max(alone, Double(n) / (ContinuousClock.now - start).seconds)
                aloneCycles = n
                // Transaction-level lockstep over the same operations.
                var k = 0
                let lockStart = ContinuousClock.now
                let outcome = try TransactionCosim.lockstep(dut, options: .init()) {
                    guard k < items.count else { return nil }
                    k += 1
                    return (items[k - 1], 0)
                }
                lockstep = max(lockstep, Double(outcome.cycles) / (ContinuousClock.now - lockStart).seconds)
                lockCycles = outcome.cycles
                mismatches = outcome.mismatches
            }
            func row(_ name: String, _ n: Int, _ rate: Double, _ note: String) {
                let pad = { (s: String, w: Int) in s + String(repeating: " ", count: max(1, w - s.count)) }
                print(pad(name, 46) + pad("\(n)", 11) + pad(String(format: "%.2f", rate / 1e6), 13) + note)
            }
            print("engine                                        cycles     M cycles/s")
            row("DUT alone (shim, one call a cycle)", aloneCycles, alone, "")
            row("transaction lockstep: driver + core + check", lockCycles, lockstep,
                String(format: "%.2fx of the DUT alone, %d mismatches", lockstep / alone, mismatches))
        } catch {
            print("DUT benchmark failed: \(error)")
        }
    }
}
