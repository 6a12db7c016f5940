import ArgumentParser
import AtomikCosim
import AtomikExplore
import AtomikProgram
import AtomikSupport
import Foundation

extension Atomik {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render the whole report of a job run in shards: a regression, a mutation check or a sweep.",
            discussion: """
            Reads the shard-I-of-N.json files that `cosim --regress|--mutate --shard I/N` and \
            `explore --shard I/N` write (give the files, or directories that hold them up to two \
            levels down). Every shard of the job must be there, complete and of the same job: a \
            missing, incomplete, repeated or foreign shard is named and nothing is rendered (exit 2). \
            A regression or mutation check prints what a run of the whole job prints, writes its \
            JUnit with --junit and exits as it would (1 on a difference); a sweep writes its report \
            set to --out. Plain results.json files of sweeps (complete sets) are rendered together too.
            """
        )

        @Argument(help: "Shard files, directories holding them, or results.json files of sweeps.")
        var paths: [String]

        @Option(help: "A sweep's report directory (default merged).")
        var out: String?

        @Option(help: "A regression's or mutation check's JUnit XML.")
        var junit: String?

        func run() throws {
            var shards: [(path: String, file: ShardFile)] = [], sweeps: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw ProgramError("cannot read '\(path)': no such file or directory")
                }
                if isDirectory.boolValue {
                    let found = try Self.shardFiles(in: path)
                    if found.isEmpty { throw ProgramError("\(path): no shard-I-of-N.json file in it (or in its subdirectories)") }
                    for f in found { shards.append((f, try Self.read(f))) }
                } else if Self.isShardFile(path) {
                    shards.append((path, try Self.read(path)))
                } else {
                    sweeps.append(path)
                }
            }
            if !shards.isEmpty && !sweeps.isEmpty {
                throw ProgramError("give shard files or results.json files, not both (\(sweeps[0]) is not a shard file)")
            }
            if !sweeps.isEmpty { return try renderSweep(Self.readResults(sweeps), devices: nil, options: "results of \(sweeps.joined(separator: ", "))",
                                                        provenance: "merged \(ShardFile.madeNow) from \(sweeps.joined(separator: ", "))") }
            let job = try Self.wholeJob(shards)
            switch job.first!.kind {
            case .regression, .mutation:
                if out != nil { throw ValidationError("--out takes a sweep's report; a regression prints its own (use --junit)") }
                var report = job[0].regression!
                report.records = job.flatMap { $0.regression!.records }.enumerated()
                    .sorted { ($0.element.item, $0.offset) < ($1.element.item, $1.offset) }.map(\.element)
                print(report.header + ", merged from \(job.count) shards")
                for r in report.records { print(r.line) }
                print(report.closing, terminator: "")
                if let junit {
                    let file = try AtomicOutput(path: junit)
                    try file.writer.write(report.junit())
                    try file.commit()
                }
                if report.exitCode != 0 { throw ExitCode(report.exitCode) }
            case .explore:
                if junit != nil { throw ValidationError("--junit takes a regression's results; a sweep writes its report to --out") }
                let first = job[0].explore!
                let results = job.flatMap { s in zip(s.explore!.offsets, s.explore!.results) }.sorted { $0.0 < $1.0 }.map(\.1)
                try renderSweep(results, devices: first.devices, options: first.options,
                                provenance: "\(first.provenance); merged \(ShardFile.madeNow) from \(job.count) shards")
            }
        }

        func renderSweep(_ results: [PointResult], devices: [Device]?, options: String, provenance: String) throws {
            let devices = devices ?? Device.allCases.filter { d in results.contains { $0.devices.contains { $0.device == d } } }
            try Explore.writeReport(results, devices: devices, options: options, provenance: provenance, to: out ?? "merged")
        }

        static func isShardFile(_ path: String) -> Bool {
            let name = (path as NSString).lastPathComponent
            return name.hasPrefix("shard-") && name.hasSuffix(".json") && name.contains("-of-")
        }

        /// The shard files in `directory` and in its subdirectories up to two levels down, in name order.
        static func shardFiles(in directory: String) throws -> [String] {
            var found: [String] = []
            func walk(_ dir: String, depth: Int) throws {
                for name in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
                    let path = dir + "/" + name
                    var isDirectory: ObjCBool = false
                    FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                    if isDirectory.boolValue { if depth < 2 { try walk(path, depth: depth + 1) } } else if isShardFile(path) { found.append(path) }
                }
            }
            try walk(directory, depth: 0)
            return found
        }

        /// The most a shard or results file may hold: merge reads each whole.
        static let maxFileBytes = 1 << 30

        /// A file's bytes, refused past `maxFileBytes` with its size.
        static func contents(_ path: String) throws -> Data {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            guard size <= maxFileBytes else {
                throw ProgramError("\(path): \(size) bytes, more than the \(maxFileBytes >> 20) MiB a shard or results file may hold")
            }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }

        static func read(_ path: String) throws -> ShardFile {
            let data = try contents(path)
            let file: ShardFile
            do { file = try JSONDecoder().decode(ShardFile.self, from: data) } catch let error as DecodingError {
                throw ProgramError("\(path): not a shard file of atomik (\(describe(error)))")
            }
            guard file.format == ShardFile.currentFormat else {
                throw ProgramError("\(path): shard format '\(file.format)', this tool reads '\(ShardFile.currentFormat)'")
            }
            return file
        }

        /// The shards of one job, 1 to N, each once and complete; anything else is an error naming it.
        static func wholeJob(_ shards: [(path: String, file: ShardFile)]) throws -> [ShardFile] {
            let first = shards[0]
            for (path, s) in shards where s.job != first.file.job || s.shards != first.file.shards || s.kind != first.file.kind {
                throw ProgramError("\(path) is a shard of another job than \(first.path) (\(s.kind.rawValue), \(s.shards) shards, job \(s.job); "
                                   + "expected \(first.file.kind.rawValue), \(first.file.shards) shards, job \(first.file.job))")
            }
            var byIndex: [Int: String] = [:]
            for (path, s) in shards {
                guard (1...s.shards).contains(s.shard) else { throw ProgramError("\(path): shard \(s.shard) of \(s.shards) is not a shard of the job") }
                if let earlier = byIndex[s.shard] { throw ProgramError("shard \(s.shard) of \(s.shards) is given twice: \(earlier) and \(path)") }
                byIndex[s.shard] = path
                // Complete: it holds every item of its slice, and nothing else.
                let expected = Shard(index: s.shard, count: s.shards).offsets(of: s.items)
                let held = s.kind == .explore ? s.explore?.offsets ?? [] : Array(Set(s.regression?.records.map(\.item) ?? [])).sorted()
                let cases = s.regression?.records.count ?? 0
                guard held == expected, s.kind == .explore || cases == s.testCases else {
                    throw ProgramError("\(path): shard \(s.shard) of \(s.shards) is incomplete: it holds \(held.count) of the "
                                       + "\(expected.count) items of its slice" + (s.kind == .explore ? "" : " and \(cases) of its \(s.testCases ?? 0) test cases")
                                       + " (rerun it with --shard \(s.shard)/\(s.shards))")
                }
            }
            let missing = (1...first.file.shards).filter { byIndex[$0] == nil }
            guard missing.isEmpty else {
                throw ProgramError("the job is incomplete: shard\(missing.count == 1 ? "" : "s") "
                                   + missing.map(String.init).joined(separator: ", ") + " of \(first.file.shards) missing "
                                   + "(no \(missing.map { Shard(index: $0, count: first.file.shards).fileName }.joined(separator: ", "))); nothing rendered")
            }
            return (1...first.file.shards).map { k in shards.first { $0.file.shard == k }!.file }
        }

        /// The points of sweeps' results.json files, checked as the tool could have measured them.
        static func readResults(_ files: [String]) throws -> [PointResult] {
            var all: [PointResult] = [], from: [String: String] = [:]
            for f in files {
                let data = try contents(f)
                let points: [PointResult]
                do { points = try JSONDecoder().decode([PointResult].self, from: data) } catch let error as DecodingError {
                    throw ProgramError("\(f): not a results.json of atomik explore (\(describe(error)))")
                }
                for p in points {
                    do { try p.validate() } catch { throw ProgramError("\(f): \(error.message)") }
                    if let earlier = from[p.name] { throw ProgramError("\(f): point \(p.name) is in \(earlier) too") }
                    from[p.name] = f
                }
                all += points
            }
            if all.isEmpty { throw ProgramError("the files hold no points: \(files.joined(separator: ", "))") }
            return all
        }

        /// A decoding error in a few words: what, and where in the JSON.
        static func describe(_ error: DecodingError) -> String {
            func path(_ c: DecodingError.Context) -> String {
                c.codingPath.isEmpty ? "at the top" : "at " + c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            }
            switch error {
            case .keyNotFound(let key, let c): return "no '\(key.stringValue)' \(path(c))"
            case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(c.debugDescription) \(path(c))"
            case .dataCorrupted(let c): return "not JSON: \(c.underlyingError.map { "\($0)" } ?? c.debugDescription)"
            @unknown default: return "\(error)"
            }
        }
    }
}
