import ArgumentParser
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL

/// The engines that can execute a program.
enum EngineKind: String, ExpressibleByArgument, CaseIterable {
    /// The software core, the golden model.
    case software
    /// The cycle-level model of the hardware unit.
    case cycle
    /// The RTL under Icarus Verilog.
    case icarus
    /// The RTL under Verilator.
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
            Every engine prints the same bytes for the same program.
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

        @Option(help: "Bank entries shown in the VCD (the first N contexts).")
        var vcdContexts: Int = 64

        @Flag(help: "After the results, print the final non-zero state of every context.")
        var final = false

        @Flag(help: "Print cycle and stall counts on standard error (cycle engine).")
        var stats = false

        func validate() throws {
            if engine != .cycle {
                for (set, name) in [(trace != nil, "--trace"), (vcd != nil, "--vcd"), (stats, "--stats")] where set {
                    throw ValidationError("\(name) needs the cycle-level engine (--engine cycle)")
                }
            }
            if engine != .software { _ = try hardware.parameters(design) }
            if final && (engine == .icarus || engine == .verilator) {
                throw ValidationError("--final needs the software or cycle engine (the RTL testbench does not dump the banks)")
            }
        }

        func run() throws {
            let source = try ProgramSource(path: program, options: design.programOptions)
            switch engine {
            case .software:
                _ = try SoftwareEngine.run(source, output: .standardOutput, final: final)
            case .cycle:
                let traceFile = try trace.map { try AtomicOutput(path: $0) }
                let vcdFile = try vcd.map { try AtomicOutput(path: $0) }
                var observers: [any CycleObserver] = []
                if let traceFile { observers.append(CycleTraceWriter(traceFile.writer)) }
                if let vcdFile { observers.append(VCDWriter(vcdFile.writer, bankLimit: vcdContexts)) }
                let s: CycleStats
                do {
                    s = try CycleSimulator.run(try hardware.parameters(design), source: source, output: .standardOutput,
                                               final: final, observers: observers)
                } catch let stop as Interrupted {
                    // Keep what was written: the trace says it is partial.
                    try traceFile?.commit()
                    try vcdFile?.commit()
                    throw stop
                }
                try traceFile?.commit()
                try vcdFile?.commit()
                if stats {
                    try ByteWriter.standardError.write(
                        "cycles=\(s.cycles) stalls=\(s.stallCycles) operations=\(s.operations) results=\(s.results) "
                        + "peak_rss_mib=\(RunProgress.peakResidentMiB())\n")
                    try ByteWriter.standardError.flush()
                }
            case .icarus, .verilator:
                let simulator = RTLSimulator(rawValue: engine.rawValue)!
                var items: [ProgramItem] = []
                while let item = try source.next() {
                    items.append(item)
                    if items.count > RTLSimulator.maxItems {
                        throw RTLError("--engine \(engine.rawValue) runs at most \(RTLSimulator.maxItems) items (the testbench loads "
                                       + "the whole stimulus); for longer programs use the cycle engine, or 'atomik cosim' "
                                       + "(Verilator in lockstep, streaming) to check them against the RTL")
                    }
                }
                let rtl = try simulator.run(try hardware.parameters(design), items: items)
                let out = ByteWriter.standardOutput
                for r in rtl.results { try out.write { ResultFormat.append(r, width: design.width, to: &$0) } }
                try out.flush()
                if !rtl.resultCountMatches {
                    throw RTLError("the RTL gave a different number of results than the program has READ/SWAP operations")
                }
                if rtl.mismatches != 0 {
                    throw RTLError("the RTL's outputs differ from the cycle model's in \(rtl.mismatches) of \(rtl.cycles) cycles")
                }
            }
        }
    }
}
