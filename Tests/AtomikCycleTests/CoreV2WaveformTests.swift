import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import Foundation
import Testing

/// The trace of a run as (done, result_data) per cycle, read back from the trace file.
func traceColumns(_ p: UnitParameters, _ items: [ProgramItem]) throws -> [(done: Bool, data: UInt64, valid: Bool)] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("corev2-\(UUID()).trace").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try runCycle(p, items, trace: try ByteWriter(path: path))
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
    return lines.map { line in
        let f = line.split(separator: " ")
        // cycle rst_n op_valid op_code op_keep op_addr op_data op_ready done result_valid result_data
        return (f[8] == "1", UInt64(f[10], radix: 16)!, f[9] == "1")
    }
}

/// With one context and flip-flop banks the unit is ATOMiK Core v2, cycle for
/// cycle: `result_data_o` is `data_out`, `done_o` is `data_valid`. The expected
/// columns below were worked out by hand from Core v2's description
/// (ATOMIK.md section 2): READ loads data_out with the state before the edge,
/// data_out holds through other operations, data_valid is 1 after every
/// operation and 0 after an idle cycle, reset clears everything.
@Suite struct CoreV2Waveforms {
    let p = UnitParameters(width: 64, contexts: 1, storage: .ff)

    @Test func loadAccumReadIdle() throws {
        let items: [ProgramItem] = [
            .op(.load(0, Word(0xA))),    // cycle 1
            .op(.accum(0, Word(0x5))),   // 2
            .op(.read(0)),               // 3: sees the ACCUM just before it
            .idle(1),                    // 4
            .op(.read(0)),               // 5
            .op(.accum(0, Word(0x30))),  // 6
            .op(.accum(0, Word(0x300))), // 7
            .op(.read(0)),               // 8
            .idle(2),                    // 9, 10
            .op(.load(0, Word(0x77))),   // 11: data_out holds through LOAD
            .reset(1),                   // 12: clears everything
            .op(.read(0)),               // 13
        ]
        let expected: [(done: Bool, data: UInt64)] = [
            (false, 0),      // 0 power-up reset
            (false, 0),      // 1 LOAD presented
            (true, 0),       // 2 after LOAD
            (true, 0),       // 3 after ACCUM
            (true, 0xF),     // 4 after READ: A ^ 5
            (false, 0xF),    // 5 after idle: done drops, data holds
            (true, 0xF),     // 6 after READ
            (true, 0xF),     // 7
            (true, 0xF),     // 8
            (true, 0x33F),   // 9 after READ: F ^ 30 ^ 300
            (false, 0x33F),  // 10
            (false, 0x33F),  // 11 LOAD presented
            (false, 0),      // 12 reset asserted: outputs cleared at once
            (false, 0),      // 13 READ presented
            (true, 0),       // 14 after READ of the cleared context
        ]
        let got = try traceColumns(p, items)
        #expect(got.count == expected.count)
        for (k, (g, e)) in zip(got, expected).enumerated() {
            #expect(g.done == e.done && g.data == e.data, "cycle \(k): got done=\(g.done) data=\(String(g.data, radix: 16))")
        }
    }

    @Test func resultValidPulsesOnlyAfterReads() throws {
        let items: [ProgramItem] = [.op(.load(0, Word(1))), .op(.read(0)), .op(.read(0)), .op(.accum(0, Word(2))), .op(.read(0))]
        let got = try traceColumns(p, items)
        #expect(got.map(\.valid) == [false, false, false, true, true, false, true])
    }
}
