import AtomikCore
import AtomikDUT
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikSupport
import Foundation

/// A program item and the line of the program file it came from (0: none).
public typealias LocatedItem = (item: ProgramItem, line: Int)

/// Transaction-level co-simulation of any described design: the DUT is
/// driven through its own protocol by the generated bridge, under Verilator
/// in lockstep or under Icarus from a command file, and every result beat is
/// compared in order with the software core (`TransactionChecker`).
///
/// Both simulators feed the bridge by the same rules: an operation is
/// offered until it is taken; `nop N` offers nothing for N cycles; `reset N`
/// waits for the outstanding results, then holds reset max(N, the
/// description's cycles) cycles; the run ends when the program is done and
/// every result is in, or a timeout passes.
public enum TransactionCosim {
    /// Options of one run.
    public struct Options: Sendable {
        public var maxMismatches = 1
        /// Operations shown before a fault.
        public var recentOperations = 8
        /// A bound on the run's cycles (runaway designs).
        public var maxCycles = Int(Int32.max)
        public init() {}
    }

    /// What receives the DUT's READ and SWAP results, in program order (`atomik run --engine icarus|verilator`).
    public typealias ResultSink = (OperationResult) -> Void

    /// Verilator in lockstep: items are read as the run goes, so memory stays bounded.
    public static func lockstep(_ dut: DUTDescription, options: Options, results: ResultSink? = nil,
                                next: () throws -> LocatedItem?) throws -> TransactionOutcome {
        let shim = try DUTShim.load(try DUTBuild.verilatorShim(dut))
        return dut.width <= 64
            ? try lockstep(UInt64.self, dut, shim: shim, options: options, results: results, next: next)
            : try lockstep(Word.self, dut, shim: shim, options: options, results: results, next: next)
    }

    static func lockstep<W: ContextWord>(_: W.Type, _ dut: DUTDescription, shim: DUTShim, options: Options,
                                         results: ResultSink?, next: () throws -> LocatedItem?) throws -> TransactionOutcome {
        let checker = try TransactionChecker<W>(dut, simulator: .verilator, maxMismatches: options.maxMismatches,
                                                keep: options.recentOperations)
        checker.results = results
        let model = try shim.instance()
        let words = shim.words
        let data = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
        let beat = UnsafeMutablePointer<UInt32>.allocate(capacity: words)
        data.initialize(repeating: 0, count: words)
        beat.initialize(repeating: 0, count: words)
        defer { data.deallocate(); beat.deallocate() }
        let mask = Word.mask(width: dut.width)
        let timeout = dut.timeout, resetCycles = dut.reset.cycles
        let supported = dut.supported.reduce(0) { $0 | 1 << DUTBridge.code($1) }

        var control: Int32 = 1, address: UInt32 = 0
        var cycle = 0, outstanding = 0, quiet = 0, waited = 0, idleLeft = 0, resetLeft = resetCycles - 1
        var offering = false, draining = false, pendingReset = 0
        var current = Instruction.read(0), currentCode = 0, currentIndex = 0, currentLine = 0, offeredSince = 0, operations = 0
        var itemsRun = 0
        run: while true {
            let out = model.step(control: control, address: address, data: data, beat: beat)
            if control & 1 == 0 {
                if out & 1 != 0 {
                    try checker.take(current, code: currentCode, index: currentIndex, line: currentLine, cycle: cycle)
                    if out & 2 != 0 { outstanding += 1 }
                    offering = false
                    waited = 0
                }
                if out & 4 != 0 {
                    checker.beat(cycle: cycle, words: beat, count: words)
                    outstanding -= 1
                }
            }
            quiet = outstanding > 0 && out & 5 == 0 ? quiet + 1 : 0
            if offering { waited += 1 }
            cycle += 1
            if checker.stopped { break }
            if waited > timeout {
                checker.notTaken(current, index: currentIndex, line: currentLine, since: offeredSince, cycle: cycle - 1)
                break
            }
            if quiet > timeout || cycle >= options.maxCycles { break }
            if cycle & 0xFFF == 0 {
                RunProgress.update("cosim", operations: operations)
                if Interrupt.requested { break }
            }
            // The next cycle's inputs: an operation stays offered, unchanged, until it is taken.
            let offered = control
            control = 0
            if resetLeft > 0 {
                control = 1
                resetLeft -= 1
            } else if idleLeft > 0 {
                idleLeft -= 1
            } else if offering {
                control = offered
            } else if draining {
                if outstanding <= 0 {
                    draining = false
                    control = 1
                    resetLeft = pendingReset - 1
                }
            } else {
                guard let (item, line) = try next() else {
                    if outstanding <= 0 { break run }
                    continue
                }
                itemsRun += 1
                switch item {
                case .op(var inst):
                    let code = DUTBridge.code(inst)
                    guard supported & 1 << code != 0 else { throw unsupported(dut, inst, line: line) }
                    inst.data = inst.data & mask
                    current = inst; currentCode = code; currentIndex = operations; currentLine = line
                    operations += 1
                    offering = true
                    offeredSince = cycle
                    control = 2 | Int32(code) << 2
                    address = UInt32(inst.address)
                    for k in 0..<words { data[k] = UInt32(truncatingIfNeeded: inst.data.limbs[k >> 1] >> UInt64((k & 1) * 32)) }
                case .idle(let n):
                    idleLeft = n - 1
                case .reset(let n):
                    pendingReset = max(n, resetCycles)
                    checker.reset()
                    if outstanding > 0 { draining = true } else {
                        control = 1
                        resetLeft = pendingReset - 1
                    }
                }
            }
        }
        RunProgress.finish()
        checker.finish(cycle: cycle)
        var outcome = checker.outcome
        outcome.itemsRun = itemsRun
        return outcome
    }

    /// The error for a program operation the DUT does not support.
    static func unsupported(_ dut: DUTDescription, _ inst: Instruction, at location: SourceLocation?) -> ProgramError {
        let names = OperationKind.allCases.filter { dut.supported.contains($0) }.map(\.rawValue).joined(separator: ", ")
        return ProgramError("\(OperationKind(inst).rawValue) is not an operation of the DUT \(dut.name) (it supports \(names))",
                            at: location)
    }

    static func unsupported(_ dut: DUTDescription, _ inst: Instruction, line: Int) -> ProgramError {
        unsupported(dut, inst, at: line > 0 ? SourceLocation(file: "program", line: line, column: 1) : nil)
    }

    /// Icarus: the items become a command file, the generated testbench drives
    /// the DUT and writes its events, which are checked here. `vcd` asks for a
    /// waveform of the cycles in `window`.
    public static func icarus(_ dut: DUTDescription, options: Options, items: [LocatedItem],
                              vcd: (path: String, window: ClosedRange<Int>)? = nil, results: ResultSink? = nil,
                              timeout: Duration = .seconds(3600)) throws -> TransactionOutcome {
        let sim = try DUTBuild.icarus(dut)
        let dir = Scratch.path("dut")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let commands = dir.appendingPathComponent("commands.hex").path, events = dir.appendingPathComponent("events.txt").path
        let out = try ByteWriter(path: commands)
        for (item, line) in items {
            if case .op(let inst) = item, !dut.supported.contains(OperationKind(inst)) { throw unsupported(dut, inst, line: line) }
            try out.write(DUTBridge.command(item, width: dut.width))
        }
        try out.flush()
        var plusargs = ["+commands=\(commands)", "+events=\(events)", "+max_cycles=\(options.maxCycles)"]
        if let vcd { plusargs += ["+vcd=\(vcd.path)", "+vcd_from=\(vcd.window.lowerBound)", "+vcd_to=\(vcd.window.upperBound + 1)"] }
        let run = try ToolProcess.run(["vvp", "-n", sim] + plusargs, in: dir, timeout: timeout)
        if run.timedOut { throw RTLError("the Icarus run timed out after \(timeout) and was stopped") }
        guard run.status == 0, run.output.contains("ATOMIK-TB FINISHED") else {
            throw RTLError("the Icarus run of \(dut.name) failed (exit \(run.status)):\n\(run.output)")
        }
        if let vcd { try RTLSimulator.removeDate(fromVCD: vcd.path) }
        return dut.width <= 64
            ? try check(UInt64.self, dut, options: options, items: items, events: events, results: results)
            : try check(Word.self, dut, options: options, items: items, events: events, results: results)
    }

    /// Replays the testbench's events through the checker, pairing each take with the next operation.
    static func check<W: ContextWord>(_: W.Type, _ dut: DUTDescription, options: Options, items: [LocatedItem],
                                      events: String, results: ResultSink?) throws -> TransactionOutcome {
        let checker = try TransactionChecker<W>(dut, simulator: .icarus, maxMismatches: options.maxMismatches,
                                                keep: options.recentOperations)
        checker.results = results
        let mask = Word.mask(width: dut.width)
        var position = 0, operations = 0
        /// The next operation of the program, applying the resets before it to the core.
        func nextOperation() -> (Instruction, index: Int, line: Int)? {
            while position < items.count {
                let (item, line) = items[position]
                position += 1
                switch item {
                case .op(var inst):
                    inst.data = inst.data & mask
                    operations += 1
                    return (inst, operations - 1, line)
                case .reset: checker.reset()
                case .idle: break
                }
            }
            return nil
        }
        let reader = try ByteReader(path: events)
        var end = 0
        while let raw = try reader.nextLine() {
            let line = String(decoding: raw, as: UTF8.self)
            let f = line.split(separator: " ")
            guard f.count >= 2, let cycle = Int(f[1]) else { throw RTLError("malformed testbench event: \(line)") }
            switch f[0] {
            case "T":
                guard let (inst, index, l) = nextOperation() else { throw RTLError("the testbench took more operations than the program has") }
                try checker.take(inst, code: DUTBridge.code(inst), index: index, line: l, cycle: cycle)
            case "B":
                guard f.count == 3 else { throw RTLError("malformed testbench event: \(line)") }
                checker.beat(cycle: cycle, value: parseHex(f[2]))
            case "U": checker.unknownValid(cycle: cycle)
            case "S":
                if let (inst, index, l) = nextOperation() {
                    checker.notTaken(inst, index: index, line: l, since: cycle - dut.timeout, cycle: cycle)
                }
            case "E": end = cycle
            default: throw RTLError("malformed testbench event: \(line)")
            }
            // A count of cycles, as the lockstep gives it when a fault stops the run.
            if f[0] != "E" { end = max(end, cycle + 1) }
            if checker.stopped { break }
        }
        checker.finish(cycle: end)
        var outcome = checker.outcome
        outcome.itemsRun = items.count
        return outcome
    }

    /// A hex value of the testbench; nil when it has x or z digits.
    static func parseHex(_ s: Substring) -> Word? {
        var l = SIMD8<UInt64>(repeating: 0)
        for (k, c) in s.reversed().enumerated() {
            guard let d = c.hexDigitValue, k < 128 else { return nil }
            l[k >> 4] |= UInt64(d) << UInt64((k & 15) * 4)
        }
        return Word(limbs: l)
    }
}
