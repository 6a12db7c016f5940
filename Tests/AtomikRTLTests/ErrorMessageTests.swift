import Foundation
import Testing

/// Errors speak for themselves: no raw Foundation errors, no raw control
/// bytes, a file and a reason every time; inputs that editors commonly write
/// (a byte-order mark) are accepted; every line-oriented input is capped.
@Suite struct ErrorMessages {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-errors-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func byteOrderMarksAreAccepted() throws {
        defer { remove() }
        let program = try file("bom.atk", [0xEF, 0xBB, 0xBF] + Array("load 0, 5\nread 0\n".utf8))
        let (status, out) = try runAtomik(["run", program], withOutput: true)
        #expect(status == 0 && out.contains("1 read 0 0x0000000000000005"), "\(out)")
        let list = try file("points.txt", [0xEF, 0xBB, 0xBF] + Array("width=8 contexts=1 storage=ff\n".utf8))
        let (pointsStatus, text) = try runAtomik(["explore", "--points", list, "--no-pnr", "--jobs", "1", "--length", "200",
                                                  "--out", dir.appendingPathComponent("x").path])
        #expect(pointsStatus == 0, "\(text)")
    }

    @Test func controlBytesAreEscaped() throws {
        defer { remove() }
        let program = try file("ctl.atk", Array("load 0, 1\nre".utf8) + [0x0D, 0x00, 0x1B] + Array("ad 0\n".utf8))
        let (status, text) = try runAtomik(["run", program])
        #expect(status == 2)
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "raw control bytes in: \(text.debugDescription)")
        #expect(text.contains("ctl.atk:2:"), "\(text)")
    }

    @Test func overLongLinesAreRefusedWithTheirPlace() throws {
        defer { remove() }
        let long = "width=8 contexts=1 storage=ff recipe=uniform #" + String(repeating: "x", count: 2 << 20) + "\n"
        let list = try file("r.txt", Array(long.utf8))
        let (status, text) = try runAtomik(["cosim", "--regress", list])
        #expect(status == 2 && text.contains("r.txt:1:1: error: line longer than"), "\(text.prefix(300))")
    }

    @Test func foundationErrorsAreTranslated() throws {
        defer { remove() }
        let blocker = try file("blocker", Array("x".utf8))
        // --out under a file: the path and the system's reason.
        let (status, text) = try runAtomik(["vectors", "--recipe", "uniform", "--length", "10", "--out", blocker + "/v"])
        #expect(status == 2)
        #expect(text.contains("cannot use '\(blocker)/v'") && text.contains("Not a directory"), "\(text)")
        #expect(!text.contains("NSCocoaErrorDomain"), "\(text)")
        // merge names the file and what is wrong with it.
        let bad = try file("bad.json", Array(#"[{"x": 1}]"#.utf8))
        let merged = try runAtomik(["merge", bad, "--out", dir.appendingPathComponent("m").path])
        #expect(merged.status == 2 && merged.text.contains("bad.json: not a results.json of atomik explore (no 'width' at [0])"),
                "\(merged.text)")
        // fuzz --save to a file saves nothing and says so.
        let fuzz = try runAtomik(["fuzz", "--iterations", "50", "--target", "program-text", "--save", blocker])
        #expect(fuzz.status == 2 && fuzz.text.contains("not a directory"), "\(fuzz.text)")
    }

    /// merge renders only what the tool could have measured.
    @Test func mergeValidatesItsPoints() throws {
        defer { remove() }
        func point(_ width: Int, _ storage: String) -> String {
            #"{"width": \#(width), "contexts": 4, "storage": "\#(storage)", "readLatency": 1, "workloads": [], "devices": []}"#
        }
        for (json, reason) in [("[\(point(-5, "ff"))]", "point W-5 C4 ff: WIDTH = -5"),
                               ("[\(point(8, "dram"))]", "storage \"dram\" is not ff or sram"),
                               ("[\(point(8, "ff")), \(point(8, "ff"))]", "point W8 C4 ff is in"),
                               ("[]", "the files hold no points")] {
            let path = try file("r.json", Array(json.utf8))
            let (status, text) = try runAtomik(["merge", path, "--out", dir.appendingPathComponent("m").path])
            #expect(status == 2 && text.contains(reason), "\(json): \(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("m").path), "nothing rendered")
    }

    /// A divergence is still a divergence (exit 1, summary line) when its report cannot be written.
    @Test func aDivergenceWithAnUnusableOutputKeepsItsVerdict() throws {
        try #require(installed(.verilator), "verilator is not installed")
        defer { remove() }
        let blocker = try file("blocker", Array("x".utf8))
        let aliased = repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/aliased/aliased.yaml").path
        let (status, text) = try runAtomik(["cosim", "--recipe", "uniform", "--seed", "3", "--length", "3000", "--dut", aliased,
                                            "--out", blocker + "/out"], withOutput: true)
        #expect(status == 1, "\(text)")
        #expect(text.contains("the divergence report could not be completed: cannot use '\(blocker)/out'"), "\(text)")
        #expect(text.contains(" mismatches"), "\(text)")
    }

    @Test func strictNegativeValuesSaySo() throws {
        defer { remove() }
        let program = try file("neg.atk", Array("load 0, -1\n".utf8))
        let (status, text) = try runAtomik(["run", program, "--width", "8", "--strict"])
        #expect(status == 2 && text.contains("neg.atk:1:") && text.contains("negative value"), "\(text)")
    }

    /// Messages name only what exists: an interrupted waveform run names the
    /// waveform it kept (and it is there), an interrupted co-simulation names no
    /// replay command it never printed; a missing stimulus says what to give;
    /// `fuzz --save` into a place that cannot hold a directory is an error.
    @Test func messagesNameOnlyWhatExists() throws {
        defer { remove() }
        let program = try file("idle.atk", Array("load 1, 3\nnop 100000000\n".utf8))
        let vcd = dir.appendingPathComponent("w.vcd").path
        let (status, text) = try runAtomik(["run", program, "--engine", "cycle", "--vcd", vcd, "--width", "8", "--contexts", "4"],
                                           interruptAfter: 1)
        #expect(status == 130 && text.contains("the waveform ends at the last cycle run") && !text.contains("trace"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: vcd))
        if installed(.verilator) {
            let cosim = try runAtomik(["cosim", "--recipe", "uniform", "--length", "100000000", "--width", "8", "--contexts", "2",
                                       "--simulator", "verilator"], interruptAfter: 3, withOutput: true)
            #expect(cosim.status == 130 && cosim.text.contains("interrupted") && !cosim.text.contains("replay"), "\(cosim.text)")
        }
        let neither = try runAtomik(["cosim", "--width", "8"])
        #expect(neither.status == 2 && neither.text.contains("give a program file or --recipe"), "\(neither.text)")
        let save = try runAtomik(["fuzz", "--iterations", "10", "--save", "/proc/nonexistent/corpus"])
        #expect(save.status == 2 && save.text.contains("/proc/nonexistent"), "\(save.text)")
    }
}
