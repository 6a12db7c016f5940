import AtomikCore
import AtomikCycle
import AtomikDUT
import AtomikISA
import AtomikProgram
import AtomikRTL
import AtomikStimulus
import AtomikSupport
import Foundation
import Glibc

/// What `atomik vectors` makes.
public struct VectorJob: @unchecked Sendable {
    public var parameters: UnitParameters
    /// The recipe's items come first; nil with `untilCoverage` for directed stimulus only.
    public var recipe: Recipe?
    /// Or a program file's items (text or binary; `strict` refuses over-wide values).
    public var program: (path: String, strict: Bool)?
    public var seed: UInt64 = 1
    public var length: Int = 10_000
    /// Keep adding directed stimulus until every reachable bin is hit.
    public var untilCoverage = false
    /// Collect coverage (implied by `untilCoverage`).
    public var coverage = false
    public var directory: String
    public var expected = true

    public init(parameters: UnitParameters, directory: String) {
        self.parameters = parameters; self.directory = directory
    }
}

/// What a vector job wrote and covered.
public struct VectorReport: Sendable {
    public var cycles = 0
    public var items = 0
    public var files: [String] = []
    public var coverage: (hit: Int, reachable: Int)?
    public var missedBins: [String] = []
}

/// Program items on their way to the program file.
final class ProgramChunk {
    static let size = 4096
    var items: [ProgramItem] = []
    init() { items.reserveCapacity(Self.size) }
}

/// Writes `$readmemh` stimulus and expected-output files, the same stream as
/// a program file, and a JSON manifest of the files and their field layout.
public enum VectorGenerator {
    public static let stimulusFile = "stimulus.hex"
    public static let expectedFile = "expected.hex"
    public static let programFile = "program.atk"
    public static let manifestFile = "manifest.json"

    public static func run(_ job: VectorJob) throws -> VectorReport {
        let p = job.parameters
        try p.validate()
        let dir = job.directory
        let recipeText = job.recipe.map { "recipe \($0.rawValue) seed \(job.seed) length \(job.length)" }
            ?? job.program.map { "program \($0.path)" }
        let closureText = job.untilCoverage ? "directed stimulus until coverage closure" : nil
        let stimulusSource = [recipeText, closureText].compactMap { $0 }.joined(separator: ", then ")
        let header = ["atomik vectors (\(ToolVersion.string)): \(p)", "stimulus: \(stimulusSource)"]

        let stimFile = try AtomicOutput(path: "\(dir)/\(stimulusFile)")
        let expFile = job.expected ? try AtomicOutput(path: "\(dir)/\(expectedFile)") : nil
        let progFile = try AtomicOutput(path: "\(dir)/\(programFile)")
        let writer = try VectorWriter(p, stimulus: stimFile.writer, expected: expFile?.writer,
                                      header: header)
        for line in header { try progFile.writer.write("# \(line)\n") }
        try progFile.writer.write("# replay: atomik run \(ShellWords.join([programFile, "--engine", "cycle"] + p.arguments))\n")

        // The vector files and the program text are formatted and written, and
        // the coverage collected, on worker threads while the model runs.
        let collector = (job.coverage || job.untilCoverage) ? CoverageCollector(p) : nil
        // Once interrupted, the workers take no more batches: the files will be discarded.
        let vectorWriter = BatchWorker("vector-files", count: 4, capacity: 4096, width: p.width, lanes: p.lanes) { batch in
            if Interrupt.requested { return false }
            try writer.write(batch)
            collector?.record(batch)
            return true
        }
        let programWriter = BatchWorker("program-text", batches: (0..<4).map { _ in ProgramChunk() }) { chunk in
            if Interrupt.requested { return false }
            try progFile.writer.write { b in chunk.items.withUnsafeBufferPointer { TextFormat.append(lines: $0, to: &b) } }
            return true
        }
        // On an error or an interruption: drop the workers' queued batches, wait for the
        // ones they are on, then remove the unfinished files at once.
        var completed = false
        defer {
            if !completed {
                vectorWriter.abandon()
                programWriter.abandon()
                stimFile.discard(); expFile?.discard(); progFile.discard()
            }
        }
        let sim = try CycleSimulator(p, recorder: vectorWriter.recorder()) { _ in }
        var report = VectorReport()
        var chunk = programWriter.first
        /// Runs the items collected so far (unless the model ran them already)
        /// and sends them to the program file.
        func flushChunk(run: Bool = true) throws {
            if Interrupt.requested {
                throw Interrupted("interrupted after \(report.items) items; no vector files were written "
                                  + "(they are written whole or not at all)")
            }
            if run { try sim.execute(chunk.items) }
            report.items += chunk.items.count
            RunProgress.update("vectors", operations: report.items)
            chunk = try programWriter.handOver(chunk)
            chunk.items.removeAll(keepingCapacity: true)
        }
        func execute(_ item: ProgramItem) throws {
            chunk.items.append(item)
            if chunk.items.count == ProgramChunk.size { try flushChunk() }
        }
        if let recipe = job.recipe {
            for item in recipe.items(width: p.width, contexts: p.contexts, length: job.length, seed: job.seed) {
                try execute(item)
            }
        } else if let program = job.program {
            let source = try ProgramSource(path: program.path, options: ProgramOptions(width: p.width, contexts: p.contexts,
                                                                                      strict: program.strict))
            while let item = try source.next() { try execute(item) }
        }
        if job.untilCoverage, let collector {
            for _ in 0..<8 {
                // Let the last burst's results come out, so their bins are seen; the
                // program gets the same idle cycles, so a replay runs cycle for cycle.
                try flushChunk()
                try sim.issueHeld()
                let before = sim.stats.cycles
                try sim.drain()
                if sim.stats.cycles > before {
                    chunk.items.append(.idle(sim.stats.cycles - before))
                    try flushChunk(run: false)
                }
                try vectorWriter.finish()   // every cycle so far is in the coverage
                let bins = collector.missedBins, events = collector.missedEvents
                if bins.isEmpty && events.isEmpty { break }
                for item in CoverageClosure.items(for: bins, events: events, parameters: p) { try execute(item) }
            }
        }
        try flushChunk()
        let stats = try sim.finish()
        try vectorWriter.finish()
        try programWriter.finish()
        RunProgress.finish()
        try writer.flush()
        report.cycles = stats.cycles
        if let collector {
            report.coverage = collector.summary
            report.missedBins = collector.missedBins.map(\.description) + collector.missedEvents.map(\.rawValue)
        }

        let manifest = try manifestJSON(job, cycles: stats.cycles, coverage: report.coverage)
        let manFile = try AtomicOutput(path: "\(dir)/\(manifestFile)")
        try manFile.writer.write(manifest)
        report.files = [stimulusFile] + (job.expected ? [expectedFile] : []) + [programFile, manifestFile]
        try commitSet([stimFile] + (expFile.map { [$0] } ?? []) + [progFile], manifest: manFile, in: dir, keeping: report.files)
        completed = true
        return report
    }

    /// Every file a vectors run may write, of either kind (our unit's, a DUT's).
    static let setFiles = [stimulusFile, expectedFile, programFile, manifestFile, DUTVectors.commandsFile, DUTVectors.expectedFile,
                           DUTVectors.bridgeFile, DUTVectors.testbenchFile, DUTVectors.verilatorMainFile]

    /// Renames a run's files into `dir` as one set: an earlier run's manifest goes first (so
    /// a failure part way leaves no manifest, and the set is visibly incomplete), then the
    /// files, the new manifest last, and what an earlier run left that this one did not
    /// write (`written` names this run's files) is removed.
    static func commitSet(_ files: [AtomicOutput], manifest: AtomicOutput, in dir: String, keeping written: [String]) throws {
        unlink("\(dir)/\(manifestFile)")
        for file in files { try file.commit() }
        try manifest.commit()
        for name in setFiles where !written.contains(name) { unlink("\(dir)/\(name)") }
    }

    /// The manifest: everything a testbench needs, with no knowledge of this tool: the RTL (files,
    /// include directories, top, parameters as it takes them, hashes), its ports and which field of
    /// which file drives or checks each, and the timing rules of the lines.
    static func manifestJSON(_ job: VectorJob, cycles: Int, coverage: (hit: Int, reachable: Int)?) throws -> String {
        let p = job.parameters
        let rtl = try DUTPreset.unit(p)
        let ports = ["data": "op_data_i", "addr": "op_addr_i", "keep": "op_keep_i", "opcode": "op_code_i", "op_valid": "op_valid_i",
                     "rst_n": "rst_ni", "result_data": "result_data_o", "result_valid": "result_valid_o", "done": "done_o",
                     "op_ready": "op_ready_o"]
        func fields(_ f: [VectorWriter.Field]) -> [[String: Any]] {
            f.map { ["name": $0.name, "lsb": $0.lsb, "width": $0.width, "port": ports[$0.signal]!, "port_lsb": $0.lane * $0.width] }
        }
        let s = VectorWriter.stimulusFields(p), e = VectorWriter.expectedFields(p)
        var source: [String: Any] = ["until_coverage": job.untilCoverage]
        if let recipe = job.recipe { source.merge(["recipe": recipe.rawValue, "seed": job.seed, "length": job.length]) { $1 } }
        if let program = job.program { source["program"] = URL(fileURLWithPath: program.path).standardizedFileURL.path }
        var json: [String: Any] = [
            "tool": ToolVersion.string,
            "parameters": ["WIDTH": p.width, "CONTEXTS": p.contexts, "STORAGE": p.storage.rawValue, "READ_LATENCY": p.readLatency, "LANES": p.lanes],
            "rtl": [
                "top": rtl.top, "files": rtl.files, "include_directories": rtl.includeDirectories,
                "parameters": Dictionary(rtl.parameters.map { ($0.name, Int($0.value) ?? 0) }, uniquingKeysWith: { $1 }),
                "parameter_meaning": ["STORAGE": "0 flip-flop banks (ff), 1 sram banks (sram)"],
                "file_hashes": Dictionary((rtl.files + DUTBuild.includeFiles(rtl)).map { (($0 as NSString).lastPathComponent, DUTBuild.contentHash([$0])) },
                                          uniquingKeysWith: { $1 }),
                "rtl_hash": DUTBuild.rtlHash(rtl),
                "hash_rule": DUTBuild.hashRule,
            ],
            "ports": [
                "clock": ["name": "clk_i", "edge": "rising"],
                "reset": ["name": "rst_ni", "active": "low", "kind": "asynchronous"],
            ],
            "timing": [
                "line": "line k (0-based, after any // header lines) of every file is cycle k; the files have one line a cycle",
                "inputs": "drive every stimulus field on its port for the whole of cycle k: set them after the rising edge that ends cycle k-1 (line 0 from time 0)",
                "outputs": "sample every expected field's port once the inputs of cycle k have settled, before the rising edge that ends cycle k, and compare with line k of the expected file (all bits, x and z count as mismatches)",
                "reset": "cycles with rst_n = 0 hold the unit in reset (the first line is one); the expected file gives the outputs during them too",
                "stalls": "nothing to do: an operation the unit did not take (op_ready = 0) is repeated on the following lines, as the model saw it",
                "ports": "each field drives or checks bits [port_lsb +: width] of its port; with LANES > 1 a port carries one field a lane",
            ],
            "stimulus_source": source,
            "cycles": cycles,
            "files": [["path": stimulusFile, "format": "readmemh", "line": "cycle", "bits": s.map { $0.lsb + $0.width }.max()!, "fields": fields(s)]]
                + (job.expected ? [["path": expectedFile, "format": "readmemh", "line": "cycle",
                                    "bits": e.map { $0.lsb + $0.width }.max()!, "fields": fields(e)]] : [])
                + [["path": programFile, "format": "atomik program text"]],
        ]
        if let coverage { json["coverage"] = ["hit": coverage.hit, "reachable": coverage.reachable] }
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
