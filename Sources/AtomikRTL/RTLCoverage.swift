import AtomikDUT
import AtomikISA
import AtomikSupport
import Foundation

/// Code coverage of the RTL from Verilator runs built with `--coverage`
/// (testbench/run.sh coverage): the runs' counts merged by
/// `verilator_coverage` into an lcov tracefile of the RTL's files only, an
/// HTML report by lcov's `genhtml`, and a summary per file.
public enum RTLCoverage {
    /// One file's lines and branches: how many Verilator counted, and how many were hit.
    public struct FileSummary: Sendable {
        public var file: String
        public var lines: Int
        public var linesHit: Int
        public var branches: Int
        public var branchesHit: Int
        /// Lines counted but never hit.
        public var missedLines: [Int]
    }

    /// Merges the counts files `counts` of runs made in `root` (Verilator names files relative
    /// to it) into `directory`/coverage.info, keeping only `files`, and `directory`/html.
    public static func report(_ counts: [String], files: [String], root: String, into directory: String) throws -> [FileSummary] {
        try RTLSimulator.require([("verilator_coverage", "verilator"), ("genhtml", "lcov")])
        let directory = URL(fileURLWithPath: directory).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let all = Scratch.path("coverage", suffix: ".info").path
        defer { unlink(all) }
        try ToolProcess.run(["verilator_coverage", "--write-info", all] + counts, in: URL(fileURLWithPath: root),
                            timeout: .seconds(600)).check("verilator_coverage")
        let wanted = Set(files.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        var kept = "", summaries: [FileSummary] = []
        for record in try String(contentsOfFile: all, encoding: .utf8).components(separatedBy: "end_of_record") {
            let lines = record.split(separator: "\n")
            guard let sf = lines.first(where: { $0.hasPrefix("SF:") }) else { continue }
            let file = URL(fileURLWithPath: String(sf.dropFirst(3)), relativeTo: URL(fileURLWithPath: root + "/")).standardizedFileURL.path
            guard wanted.contains(file) else { continue }
            kept += lines.map { $0.hasPrefix("SF:") ? "SF:\(file)" : String($0) }.joined(separator: "\n") + "\nend_of_record\n"
            // A line counts as hit when any of its points was; likewise each branch.
            var lineHits: [Int: Bool] = [:], branches = 0, branchesHit = 0
            for l in lines {
                if l.hasPrefix("DA:") {
                    let f = l.dropFirst(3).split(separator: ",")
                    if f.count >= 2, let n = Int(f[0]), let c = Int(f[1]) { lineHits[n] = (lineHits[n] ?? false) || c > 0 }
                } else if l.hasPrefix("BRDA:") {
                    let f = l.split(separator: ",")
                    branches += 1
                    if let c = f.last.flatMap({ Int($0) }), c > 0 { branchesHit += 1 }
                }
            }
            summaries.append(FileSummary(file: file, lines: lineHits.count, linesHit: lineHits.values.filter { $0 }.count,
                                         branches: branches, branchesHit: branchesHit,
                                         missedLines: lineHits.filter { !$0.value }.map(\.key).sorted()))
        }
        guard !summaries.isEmpty else { throw RTLError("the coverage counts name none of the RTL's files (\(files.joined(separator: ", ")))") }
        let info = "\(directory)/coverage.info"
        try kept.write(toFile: info, atomically: true, encoding: .utf8)
        try ToolProcess.run(["genhtml", "--branch-coverage", "--quiet", "--output-directory", "\(directory)/html", info],
                            in: URL(fileURLWithPath: directory), timeout: .seconds(600)).check("genhtml")
        return summaries.sorted { $0.file < $1.file }
    }

    /// Runs `items` on the coverage build of a described design (`DUTBuild.verilatorCoverage`) and writes its counts to `counts`.
    public static func run(_ d: DUTDescription, items: [ProgramItem], counts: String, timeout: Duration = .seconds(3600)) throws {
        let sim = try DUTBuild.verilatorCoverage(d)
        let commands = Scratch.path("commands", suffix: ".txt")
        defer { try? FileManager.default.removeItem(at: commands) }
        try items.map { DUTBridge.command($0, width: d.width) }.joined().write(to: commands, atomically: true, encoding: .utf8)
        let r = try ToolProcess.run([sim, "+commands=\(commands.path)", "+coverage=\(counts)"], in: Scratch.root, timeout: timeout)
        try r.check("the coverage build of \(d.name)")
        guard r.output.contains("ATOMIK-TB FINISHED"), FileManager.default.fileExists(atPath: counts) else {
            throw RTLError("the coverage build of \(d.name) did not finish its stimulus:\n\(r.output)")
        }
    }

    /// The summary as a table: file, lines hit of counted, branches hit of counted, the lines never hit.
    public static func table(_ summaries: [FileSummary]) -> String {
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
        var out = pad("file", 24) + pad("lines", 14) + pad("branches", 14) + "lines never hit\n"
        for s in summaries {
            out += pad((s.file as NSString).lastPathComponent, 24) + pad("\(s.linesHit)/\(s.lines)", 14)
                + pad("\(s.branchesHit)/\(s.branches)", 14) + (s.missedLines.isEmpty ? "-" : s.missedLines.map(String.init).joined(separator: " ")) + "\n"
        }
        return out
    }
}
