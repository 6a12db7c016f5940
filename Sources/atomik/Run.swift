import ArgumentParser
import AtomikCosim
import AtomikCycle
import AtomikDUT
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikSupport

/// The engines that can execute a program.
enum EngineKind: String, ExpressibleByArgument, CaseIterable {
    /// The software core, the golden model.
    case software
    /// The cycle-level model of the hardware unit.
    case cycle
    /// The RTL (our unit's, or a described DUT's) under Icarus Verilog.
    case icarus
    /// The RTL under Verilator, in lockstep (streamed).
    case verilator
}

extension Storage: ExpressibleByArgument {}

extension Atomik {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Execute a program and print one line per READ and SWAP result.",
            discussion: """
            Result lines are `INDEX MNEMONIC ADDR 0xVALUE`: the 0-based index of the \
            operation (idle cycles not counted), the mnemonic, the context address in \
            decimal and the value in lower-case hex padded to ceil(W/4) digits. \
            With --final, `final ADDR 0xVALUE` follows for every non-zero state. \
            Every engine prints the same bytes for the same program. The RTL engines \
            run our unit at the design point, or any design given by --dut (its width \
            and contexts then come from the description); they exit 1 when the RTL's \
            results differ from the software core's.
            """
        )

        @Argument(help: "Program file, text or binary; '-' reads standard input.")
        var program: String

        @OptionGroup var design: DesignOptions

        @Option(help: "Engine: \(EngineKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var engine: EngineKind = .software

        @OptionGroup var hardware: HardwareOptions

        @Option(help: "Write the per-cycle trace to this file (cycle engine).")
        var trace: String?

        @Option(help: "Write a VCD waveform to this file (cycle engine).")
        var vcd: String?

        @Option(help: "Write an FST waveform (GTKWave's compressed format, for long runs) to this file (cycle engine).")
        var fst: String?

        @Option(parsing: .unconditional, help: "Bank entries shown in the waveform, VCD or FST (the first N contexts; default 64).",
                transform: Checked.integer(0...65_536))
        var vcdContexts: Int?

        @Flag(help: "After the results, print the final non-zero state of every context.")
        var final = false

        @Flag(help: "Print cycle and stall counts on standard error (cycle engine).")
        var stats = false

        @OptionGroup var dut: DUTOptions

        func validate() throws {
            if engine != .cycle {
                for (set, name) in [(trace != nil, "--trace"), (vcd != nil, "--vcd"), (fst != nil, "--fst"), (stats, "--stats")] where set {
                    throw ValidationError("\(name) needs the cycle-level engine (--engine cycle)")
                }
            }
            if vcd == nil && fst == nil && vcdContexts != nil {
                throw ValidationError("--vcd-contexts shapes the waveform: give --vcd or --fst too")
            }
            if engine == .software {
                try Checked.unused(hardware.given, "the software engine has no hardware (use --engine cycle, icarus or verilator)")
            } else if dut.dut != nil {
                try HardwareOptions.refuseWithDUT(design, hardware)
            } else {
                let p = try hardware.parameters(design)
                if (vcd != nil || fst != nil) && !WaveformWriter.canShow(p) {
                    throw ValidationError("--vcd, --fst: a waveform shows op_data_i in one value of at most \(WaveformWriter.widestSignal) bits, "
                                          + "and LANES x WIDTH = \(p.lanes * p.width)")
                }
            }
            if engine != .icarus && engine != .verilator { try dut.validateUnused(); if dut.dut != nil {
                throw ValidationError("--dut needs an RTL engine (--engine icarus or verilator)") } }
            if final && (engine == .icarus || engine == .verilator) {
                throw ValidationError("--final needs the software or cycle engine (the RTL testbench does not dump the banks)")
            }
        }

        func run() throws {
            switch engine {
            case .software:
                let source = try ProgramSource(path: program, options: design.programOptions)
                _ = try SoftwareEngine.run(source, output: .standardOutput, final: final)
            case .cycle:
                let source = try ProgramSource(path: program, options: design.programOptions)
                let traceFile = try trace.map { try AtomicOutput(path: $0) }
                let vcdFile = try vcd.map { try AtomicOutput(path: $0) }
                let fstFile = try fst.map { try AtomicOutput(path: $0) }
                var observers: [any CycleObserver] = []
                if let traceFile { observers.append(CycleTraceWriter(traceFile.writer)) }
                if let vcdFile { observers.append(WaveformWriter(vcd: vcdFile.writer, bankLimit: vcdContexts ?? 64)) }
                if let fstFile { observers.append(WaveformWriter(try FSTSink(fstFile.writer), bankLimit: vcdContexts ?? 64)) }
                let s: CycleStats
                do {
                    s = try CycleSimulator.run(try hardware.parameters(design), source: source, output: .standardOutput,
                                               final: final, observers: observers)
                } catch let stop as Interrupted {
                    // Keep what was written: the trace says it is partial.
                    for file in [traceFile, vcdFile, fstFile] { try file?.commit() }
                    throw stop
                }
                for file in [traceFile, vcdFile, fstFile] { try file?.commit() }
                if stats {
                    try ByteWriter.standardError.write(
                        "cycles=\(s.cycles) stalls=\(s.stallCycles) operations=\(s.operations) results=\(s.results) "
                        + "peak_rss_mib=\(RunProgress.peakResidentMiB())\n")
                    try ByteWriter.standardError.flush()
                }
            case .icarus, .verilator:
                try runRTL()
            }
        }

        /// The RTL engines: the DUT driven through its protocol, its results printed as they come.
        func runRTL() throws {
            let d = dut.dut != nil ? try dut.description() : try DUTPreset.unit(try hardware.parameters(design))
            let stream = try DUTCosimSession.stream(.program(path: program, strict: design.strict), dut: d)
            let out = ByteWriter.standardOutput
            var writeError: (any Error)?
            let sink: TransactionCosim.ResultSink = { r in
                do { try out.write { ResultFormat.append(r, width: d.width, to: &$0) } } catch { writeError = writeError ?? error }
            }
            var options = TransactionCosim.Options()
            options.maxMismatches = .max
            let outcome: TransactionOutcome
            if engine == .verilator {
                outcome = try TransactionCosim.lockstep(d, options: options, results: sink, next: stream)
            } else {
                var items: [LocatedItem] = []
                while items.count <= RTLSimulator.maxItems, !Interrupt.requested, let item = try stream() { items.append(item) }
                if Interrupt.requested { throw Interrupted("interrupted while reading the program; the RTL did not run") }
                try RTLSimulator.checkIcarusLimits(items.lazy.map(\.item), alternative: "--engine verilator")
                outcome = try TransactionCosim.icarus(d, options: options, items: items, results: sink)
            }
            try out.flush()
            if let writeError { throw writeError }
            if Interrupt.requested { throw Interrupted("interrupted: the results above are the RTL's so far") }
            if !outcome.passed {
                FileHandleless.stderr("atomik: the RTL (\(d.name)) differs from the software core in \(outcome.mismatches) "
                                      + "of \(outcome.operations) operations; first: \(outcome.message)\n")
                throw ExitCode(1)
            }
        }
    }
}
