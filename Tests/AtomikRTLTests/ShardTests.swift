import Foundation
import Synchronization
import Testing

/// A small regression list: both storages, every simulator choice, five entries.
let smallRegression = """
    width=8 contexts=4 storage=ff recipe=uniform seed=1 length=400 simulator=both
    width=8 contexts=4 storage=sram latency=1 recipe=hazard seed=2 length=400 simulator=verilator
    width=16 contexts=8 storage=sram latency=2 recipe=fan-in seed=3 length=400 simulator=icarus
    width=32 contexts=2 storage=ff recipe=reset seed=4 length=400 simulator=both
    width=8 contexts=1 storage=ff recipe=swap-storm seed=5 length=400 simulator=verilator

    """

/// What a regression printed, without its timings (the seconds column) and its first line.
func untimed(_ text: String) -> [String] {
    text.split(separator: "\n").dropFirst().map { line in
        line.replacingOccurrences(of: #"\s+\d+\.\d\d\s+(pass|FAIL|ERROR)$"#, with: " $1", options: .regularExpression)
    }
}

/// JUnit test cases as (class, name, verdict), read by Python's XML parser.
func junitCases(_ path: String) throws -> [String] {
    let (status, out) = try runProcess(["python3", "-c", """
        import sys, xml.etree.ElementTree as ET
        for c in ET.parse(sys.argv[1]).getroot().findall('testcase'):
            verdict = 'error' if c.find('error') is not None else 'failure' if c.find('failure') is not None else 'pass'
            print(c.get('classname'), '|', c.get('name'), '|', verdict)
        """, path])
    #expect(status == 0, "\(out)")
    return out.split(separator: "\n").map(String.init)
}

func runProcess(_ arguments: [String], in directory: URL? = nil) throws -> (Int32, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = arguments
    if let directory { p.currentDirectoryURL = directory }
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus, text)
}

/// Regressions, mutation checks and sweeps give the same results on one core,
/// on several, and in shards merged afterwards; a merge never renders a job
/// with a shard missing, incomplete, repeated or of another job.
@Suite(.serialized) struct ParallelAndShards {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-shards-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try smallRegression.write(to: dir.appendingPathComponent("small.txt"), atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @Test func regressionsAgreeOnEveryCoreAndInShards() throws {
        try #require(installed(.icarus) && installed(.verilator), "simulators are not installed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = path("small.txt")
        let serial = try runAtomik(["cosim", "--regress", list, "--jobs", "1", "--junit", path("serial.xml")], withOutput: true)
        #expect(serial.status == 0, "\(serial.text)")
        let parallel = try runAtomik(["cosim", "--regress", list, "--jobs", "3", "--junit", path("parallel.xml")], withOutput: true)
        #expect(parallel.status == 0)
        #expect(untimed(serial.text).count == 7 + 1 + 7 + 1, "\(serial.text)")
        #expect(untimed(parallel.text) == untimed(serial.text), "the same lines in the same order")
        #expect(try junitCases(path("parallel.xml")) == junitCases(path("serial.xml")))
        // Three shards, merged: what the whole run printed, and the same JUnit test cases.
        for k in 1...3 {
            let shard = try runAtomik(["cosim", "--regress", list, "--shard", "\(k)/3", "--out", path("shards/\(k)")], withOutput: true)
            #expect(shard.status == 0 && shard.text.contains("shard \(k)/3 of the job written to"), "\(shard.text)")
        }
        let merged = try runAtomik(["merge", path("shards"), "--junit", path("merged.xml")], withOutput: true)
        #expect(merged.status == 0, "\(merged.text)")
        #expect(merged.text.hasPrefix("regression \(list): 5 entries, merged from 3 shards\n"), "\(merged.text)")
        #expect(untimed(merged.text) == untimed(serial.text))
        #expect(try junitCases(path("merged.xml")) == junitCases(path("serial.xml")))
    }

    @Test func aMergeRefusesAnythingButTheWholeJob() throws {
        try #require(installed(.verilator), "verilator is not installed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = path("small.txt")
        try "width=8 contexts=1 storage=ff recipe=uniform seed=9 length=100 simulator=verilator\n"
            .write(toFile: path("other.txt"), atomically: true, encoding: .utf8)
        for k in [1, 3] { #expect(try runAtomik(["cosim", "--regress", list, "--shard", "\(k)/3", "--out", path("s/\(k)")]).status == 0) }
        #expect(try runAtomik(["cosim", "--regress", path("other.txt"), "--shard", "2/3", "--out", path("foreign")]).status == 0)
        let shard1 = path("s/1/shard-1-of-3.json")
        // A shard whose file lost a record is incomplete.
        var cut = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shard1))) as! [String: Any]
        var report = cut["regression"] as! [String: Any]
        report["records"] = Array((report["records"] as! [Any]).dropLast())
        cut["regression"] = report
        try FileManager.default.createDirectory(atPath: path("cut"), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: cut).write(to: URL(fileURLWithPath: path("cut/shard-1-of-3.json")))
        for (arguments, says) in [
            ([path("s")], "shard 2 of 3 missing (no shard-2-of-3.json); nothing rendered"),
            ([path("s"), path("foreign")], "is a shard of another job"),
            ([path("s"), shard1], "shard 1 of 3 is given twice"),
            ([path("cut"), path("s/3")], "shard 1 of 3 is incomplete: it holds 2 of the 2 items of its slice and 3 of its 4 test cases"),
            ([path("nothing-here")], "no such file"),
        ] {
            let (status, text) = try runAtomik(["merge"] + arguments + ["--junit", path("m.xml")], withOutput: true)
            #expect(status == 2 && text.contains(says), "\(arguments): \(text)")
            #expect(!text.contains("cycles, "), "nothing rendered: \(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: path("m.xml")), "no JUnit for an incomplete job")
        // Options that divide a regression need one.
        let misuse = try runAtomik(["cosim", "--recipe", "uniform", "--jobs", "2"])
        #expect(misuse.status == 2 && misuse.text.contains("they divide a regression's entries"), "\(misuse.text)")
    }

    /// The mutation check in shards: the same mutants, the same verdicts, the same score.
    @Test func mutationChecksMergeFromShards() throws {
        try #require(installed(.icarus), "iverilog is not installed")
        defer { try? FileManager.default.removeItem(at: dir) }
        // One short entry: some mutants survive it, so both verdicts are merged.
        try "width=8 contexts=4 storage=sram latency=1 recipe=hazard seed=2 length=300 simulator=icarus\n"
            .write(toFile: path("m.txt"), atomically: true, encoding: .utf8)
        let whole = try runAtomik(["cosim", "--mutate", "--regress", path("m.txt"), "--jobs", "2", "--junit", path("whole.xml")],
                                  withOutput: true)
        #expect(whole.text.contains("mutation score: "), "\(whole.text)")
        for k in 1...4 {
            _ = try runAtomik(["cosim", "--mutate", "--regress", path("m.txt"), "--jobs", "2", "--shard", "\(k)/4", "--out", path("ms")])
        }
        let merged = try runAtomik(["merge", path("ms"), "--junit", path("merged.xml")], withOutput: true)
        #expect(merged.status == whole.status, "\(merged.text)")
        #expect(Array(merged.text.split(separator: "\n").dropFirst()) == Array(whole.text.split(separator: "\n").dropFirst()))
        #expect(try junitCases(path("merged.xml")) == junitCases(path("whole.xml")))
        #expect(try junitCases(path("whole.xml")).count == 21, "one test case a mutant")
    }

    /// submit refuses what it cannot run as shards, and says what to install without Slurm.
    @Test func submitRefusesMisuse() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        for (command, says) in [([String](), "give the command to run after --"),
                                (["run", "p.atk"], "submit runs cosim --regress, cosim --mutate or explore, not 'run'"),
                                (["cosim", "--recipe", "uniform"], "give --regress FILE or --mutate"),
                                (["cosim", "--regress", "small.txt", "--shard", "1/2"], "--shard is set by submit for each task"),
                                (["explore", "--out", "x"], "--out is set by submit for each task")] {
            let (status, text) = try runAtomik(["submit", "--shards", "2", "--out", "job", "--"] + command, in: dir)
            #expect(status == 2 && text.contains(says), "\(command): \(text)")
        }
        let (status, text) = try runAtomik(["submit", "--shards", "2", "--out", "job", "--", "cosim", "--regress", "small.txt"],
                                           in: dir, environment: ["PATH": "/nonexistent"])
        #expect(status == 2 && text.contains("sbatch is not installed") && text.contains("apt-get install"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: path("job")), "nothing written when nothing can be submitted")
    }

    /// Runs that share a cache (ATOMIK_CACHE_DIR, as tasks on many machines do) build
    /// each Verilator model once into it, renamed into place whole: two runs at once
    /// leave one build of each kind and no temporary directory.
    @Test func concurrentRunsShareACache() throws {
        try #require(installed(.verilator), "verilator is not installed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cache = path("cache")
        let both = [["cosim", "--recipe", "uniform", "--length", "20", "--width", "8", "--contexts", "2", "--simulator", "verilator"],
                    ["cosim", "--recipe", "uniform", "--length", "20", "--width", "8", "--contexts", "2", "--simulator", "verilator"]]
        let group = DispatchGroup()
        let statuses = Mutex([Int32]())
        for arguments in both {
            group.enter()
            DispatchQueue.global().async {
                let status = (try? runAtomik(arguments, environment: ["ATOMIK_CACHE_DIR": cache]).status) ?? -1
                statuses.withLock { $0.append(status) }
                group.leave()
            }
        }
        group.wait()
        #expect(statuses.withLock { $0 } == [0, 0])
        let built = try FileManager.default.contentsOfDirectory(atPath: cache + "/rtl")
        #expect(built.count == 1 && built[0].hasPrefix("shim-"), "one build, no temporary left: \(built)")
        let inside = try FileManager.default.contentsOfDirectory(atPath: cache + "/rtl/" + (built.first ?? ""))
        #expect(inside.contains("sim") && !inside.contains { $0.contains(".tmp.") }, "the second build is not moved into the first: \(inside)")
    }

    /// A sweep in four shards merges into the report a whole run writes: every
    /// file the same bytes, but report.html's provenance line (when and how it was made).
    @Test func sweepsMergeFromShards() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/yosys") || ProcessInfo.processInfo.environment["CI"] != nil,
                     "yosys is not installed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sweep = ["explore", "--widths", "8,16", "--contexts", "1,4", "--storages", "ff,sram", "--no-pnr", "--length", "300", "--jobs", "2"]
        #expect(try runAtomik(sweep + ["--out", path("whole")]).status == 0)
        for k in 1...4 { #expect(try runAtomik(sweep + ["--shard", "\(k)/4", "--out", path("x/\(k)")]).status == 0) }
        #expect(try runAtomik(["merge", path("x"), "--out", path("merged")]).status == 0)
        try expectSameReports(path("whole"), path("merged"))
    }
}

/// Two exploration report directories hold the same files with the same bytes,
/// but report.html's provenance line.
func expectSameReports(_ a: String, _ b: String) throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
    // csv, json, md, html, and per device (two) the uniform, bits, hazard and fan-in-table charts.
    #expect(files.count == 12 && files.contains("report.html") && files.contains("chart-up5k-fan-in-table.svg"), "\(files)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: b).filter { !$0.hasPrefix("shard-") }.sorted() == files)
    for f in files {
        var x = try String(contentsOfFile: "\(a)/\(f)", encoding: .utf8), y = try String(contentsOfFile: "\(b)/\(f)", encoding: .utf8)
        if f == "report.html" {
            let provenance = #"<p class="provenance">[^<]*</p>"#
            x = x.replacingOccurrences(of: provenance, with: "", options: .regularExpression)
            y = y.replacingOccurrences(of: provenance, with: "", options: .regularExpression)
        }
        #expect(x == y, "\(f) differs")
    }
}

/// `cosim --coverage`: the stimulus also runs on Verilator built with --coverage;
/// a regression's runs are merged into one lcov tracefile of rtl/ that genhtml
/// (lcov's own tool) renders, and a summary of the lines never hit.
@Suite(.serialized) struct CodeCoverage {
    @Test func aRegressionsCoverageIsMergedOverItsRuns() throws {
        try #require(installed(.verilator), "verilator is not installed")
        let ci = ProcessInfo.processInfo.environment["CI"] != nil
        try #require(ci || FileManager.default.isExecutableFile(atPath: "/usr/bin/genhtml"), "lcov is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-coverage-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let list = dir.appendingPathComponent("two.txt").path
        try """
            width=8 contexts=4 storage=ff recipe=uniform seed=1 length=1500 simulator=verilator
            width=8 contexts=4 storage=sram latency=2 recipe=hazard seed=2 length=1500 simulator=verilator

            """.write(toFile: list, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("cov").path
        let (status, text) = try runAtomik(["cosim", "--regress", list, "--coverage", out], withOutput: true)
        #expect(status == 0, "\(text)")
        #expect(text.contains("over 2 runs (Verilator --coverage)"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: out + "/html/index.html"), "genhtml rendered the tracefile")
        // The tracefile, read as lcov's format: every RTL file of both storages, no testbench, lines hit.
        let (ok, summary) = try runProcess(["python3", "-c", """
            import sys, collections
            hits = collections.defaultdict(dict)
            for rec in open(sys.argv[1]).read().split('end_of_record'):
                lines = rec.split()
                sf = [l[3:] for l in lines if l.startswith('SF:')]
                if not sf: continue
                for l in lines:
                    if l.startswith('DA:'):
                        n, c = l[3:].split(',')[:2]
                        hits[sf[0]][n] = hits[sf[0]].get(n, False) or int(c) > 0
            for f, h in sorted(hits.items()):
                print(f.split('/')[-1], sum(h.values()), len(h), f.startswith('/'))
            """, out + "/coverage.info"])
        #expect(ok == 0, "\(summary)")
        let files = Dictionary(uniqueKeysWithValues: summary.split(separator: "\n").map { line in
            let f = line.split(separator: " ")
            return (String(f[0]), (hit: Int(f[1]) ?? 0, total: Int(f[2]) ?? 0, absolute: f[3] == "True"))
        })
        #expect(Set(files.keys) == ["atomik_decoder.v", "atomik_sram_bank.v", "atomik_unit.v", "atomik_unit_ff.v", "atomik_unit_sram.v"],
                "\(summary)")
        for (name, f) in files { #expect(f.absolute && f.hit > 0 && f.hit <= f.total, "\(name): \(f)") }
        #expect(files["atomik_unit_ff.v"].map { $0.hit == $0.total } == true, "the ff unit is covered by its entry: \(summary)")
        // Two shards naming one directory each write their own; lcov's merge of them counts every line as the whole run did.
        let sharded = dir.appendingPathComponent("sharded").path
        for shard in ["1/2", "2/2"] {
            let r = try runAtomik(["cosim", "--regress", list, "--coverage", sharded, "--shard", shard, "--out", dir.appendingPathComponent("shards").path],
                                  withOutput: true)
            #expect(r.status == 0 && r.text.contains("over 1 run (Verilator --coverage)"), "\(r.text)")
        }
        let merged = dir.appendingPathComponent("merged.info").path
        let (lcov, lcovText) = try runProcess(["lcov", "-q", "-a", sharded + "/shard-1-of-2/coverage.info",
                                               "-a", sharded + "/shard-2-of-2/coverage.info", "-o", merged])
        #expect(lcov == 0, "\(lcovText)")
        let (same, counts) = try runProcess(["python3", "-c", """
            import sys
            def counts(path):
                out, sf = {}, None
                for line in open(path):
                    line = line.strip()
                    if line.startswith('SF:'): sf = line[3:]
                    elif line.startswith('DA:'):
                        n, c = line[3:].split(',')[:2]
                        out[(sf, int(n))] = out.get((sf, int(n)), 0) + int(c)
                return out
            whole, parts = counts(sys.argv[1]), counts(sys.argv[2])
            print(len(whole), sum(whole.values()), whole == parts)
            """, out + "/coverage.info", merged])
        #expect(same == 0 && counts.hasSuffix("True\n") && !counts.hasPrefix("0 "), "\(counts)")
        // The mutation check is refused: it runs mutants, not rtl/.
        #expect(try runAtomik(["cosim", "--mutate", "--coverage", out]).status == 2)
    }

    /// A described design's coverage is of its own files, from the generated testbench built with --coverage.
    @Test func aDescribedDesignsCoverageIsOfItsFiles() throws {
        try #require(installed(.verilator), "verilator is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-coverage-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixture = repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/asic")
        let out = dir.appendingPathComponent("cov").path
        let (status, text) = try runAtomik(["cosim", "--dut", fixture.appendingPathComponent("asic-ready.yaml").path, "--recipe", "uniform",
                                            "--seed", "1", "--length", "2000", "--coverage", out], withOutput: true)
        #expect(status == 0, "\(text)")
        #expect(text.contains("code coverage of \(fixture.path) over 1 run"), "\(text)")
        let info = try String(contentsOfFile: out + "/coverage.info", encoding: .utf8)
        let sources = info.split(separator: "\n").filter { $0.hasPrefix("SF:") }.map(String.init)
        #expect(sources == ["SF:" + fixture.appendingPathComponent("atomik_core_asic.v").path], "\(sources)")
        let lines = info.split(separator: "\n").filter { $0.hasPrefix("DA:") }
        #expect(!lines.isEmpty && lines.allSatisfy { !$0.hasSuffix(",0") }, "every line of the fixture runs under a uniform stream")
        #expect(FileManager.default.fileExists(atPath: out + "/html/index.html"), "genhtml rendered the tracefile")
    }
}
