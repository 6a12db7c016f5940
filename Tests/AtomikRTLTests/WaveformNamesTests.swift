import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikProgram
import AtomikRTL
import Foundation
import Testing

/// Every `$var` of a VCD as its full dotted path.
func vcdPaths(_ text: String) -> Set<String> {
    var scopes: [String] = [], paths = Set<String>()
    for line in text.split(separator: "\n") {
        let t = line.split(separator: " ")
        if t.first == "$scope" { scopes.append(String(t[2])) }
        if t.first == "$upscope" { scopes.removeLast() }
        if t.first == "$var" { paths.insert((scopes + [String(t[4])]).joined(separator: ".")) }
        if t.first == "$enddefinitions" { break }
    }
    return paths
}

/// The model's waveform uses the RTL's hierarchical names: every port,
/// register and memory word it shows is in Icarus's dump of the RTL under the
/// same path, with the same values (x included).
@Suite(.serialized) struct WaveformNames {
    @Test(arguments: [UnitParameters(width: 8, contexts: 4, storage: .ff),
                      UnitParameters(width: 8, contexts: 4, storage: .sram, readLatency: 2),
                      UnitParameters(width: 8, contexts: 4, storage: .sram, lanes: 3)])
    func modelNamesAreRTLNames(_ p: UnitParameters) throws {
        try #require(installed(.icarus), "iverilog is not installed")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-vcd-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let items: [ProgramItem] = [.op(.load(1, Word(3))), .op(.accum(1, Word(5))), .op(.read(1)), .op(.swap(1)), .idle(2),
                                    .reset(2), .op(.load(2, Word(9))), .op(.accum(2, Word(1))), .op(.read(2)),
                                    // Lanes: a full bundle with two lanes on one context, then its READ.
                                    .op(.accum(3, Word(0x40))), .op(.accum(2, Word(0x11))), .op(.accum(3, Word(0x82))),
                                    .op(.read(3)), .op(.swap(2, Word(7)))]
        let rtlVCD = dir.appendingPathComponent("rtl.vcd").path
        _ = try RTLSimulator.icarus.run(p, items: items, vcd: rtlVCD)
        let modelVCD = dir.appendingPathComponent("model.vcd").path
        let writer = try ByteWriter(path: modelVCD)
        let vcd = WaveformWriter(vcd: writer, bankLimit: 4)
        let sim = try CycleSimulator(p, observers: [vcd]) { _ in }
        try sim.execute(items)
        _ = try sim.finish()
        let model = vcdPaths(try String(contentsOfFile: modelVCD, encoding: .utf8))
        let rtl = vcdPaths(try String(contentsOfFile: rtlVCD, encoding: .utf8))
        #expect(model.count > 10)
        #expect(model.subtracting(rtl).isEmpty, "not in the RTL: \(model.subtracting(rtl).sorted())")
        if p.storage == .sram { #expect(model.filter { $0.contains("\\mem[") }.count == (p.lanes + 1) * p.contexts) }

        // The same time axis: both in ns, rising edges of clk_i at 10, 20, 30 ...
        let rtlText = try String(contentsOfFile: rtlVCD, encoding: .utf8), modelText = try String(contentsOfFile: modelVCD, encoding: .utf8)
        for text in [rtlText, modelText] {
            #expect(text.filter { !$0.isWhitespace }.contains("$timescale1ns$end"))
        }
        let rtlEdges = risingEdges(rtlText, of: "clk_i"), modelEdges = risingEdges(modelText, of: "clk_i")
        #expect(rtlEdges.count >= 6 && rtlEdges.prefix(3) == [10, 20, 30], "\(rtlEdges)")
        #expect(Array(modelEdges.filter { $0 >= 10 }.prefix(rtlEdges.count - 1)) == Array(rtlEdges.prefix(rtlEdges.count - 1)),
                "model \(modelEdges), rtl \(rtlEdges)")
        // Every signal the model shows has the RTL's value just before each rising edge
        // (the values a viewer shows side by side), x where the RTL has x: the sram
        // memories' words until the sweep after reset writes them, and what is read from them.
        let modelValues = vcdValues(modelText), rtlValues = vcdValues(rtlText)
        var compared = 0, unknown = 0
        for (path, timeline) in modelValues {
            let rtl = try #require(rtlValues[path], "\(path) is not in the RTL's dump")
            for edge in rtlEdges {
                let m = value(timeline, at: edge - 1), r = value(rtl, at: edge - 1)
                #expect(m == r, "\(p) \(path) at \(edge - 1) ns: model \(m), RTL \(r)")
                compared += 1
                if r == "x" { unknown += 1 }
            }
        }
        #expect(p.storage == .ff || unknown > 10, "the sram unit starts with x")
        #expect(compared > 100)
        // Only the unit (no testbench file names), no date: a replay gives the same bytes.
        #expect(!rtlText.contains("$date") && !rtlText.contains("vectors_file"))
        _ = try RTLSimulator.icarus.run(p, items: items, vcd: rtlVCD)
        #expect(try String(contentsOfFile: rtlVCD, encoding: .utf8) == rtlText)
    }
}

/// A divergence report's waveforms cover a window of cycles: there too, every
/// signal of the model has the RTL's value (x included) at every edge.
@Suite(.serialized) struct WaveformWindows {
    @Test(arguments: [1, 2])
    func windowsAgree(_ latency: Int) throws {
        try #require(installed(.icarus), "iverilog is not installed")
        let p = UnitParameters(width: 8, contexts: 8, storage: .sram, readLatency: latency)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-vcd-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let items: [ProgramItem] = [.op(.load(3, Word(3))), .op(.accum(3, Word(5))), .op(.read(3)), .op(.swap(3)), .op(.read(5)),
                                    .reset(3), .op(.accum(6, Word(1))), .op(.read(6)), .idle(4)]
        let window = 4...16
        let rtlVCD = dir.appendingPathComponent("rtl.vcd").path
        _ = try RTLSimulator.icarus.run(p, items: items, vcd: rtlVCD, vcdWindow: window)
        let modelVCD = dir.appendingPathComponent("model.vcd").path
        let writer = try ByteWriter(path: modelVCD)
        let sim = try CycleSimulator(p, observers: [WaveformWriter(vcd: writer, window: window)]) { _ in }
        try sim.execute(items)
        _ = try sim.finish()
        let rtlText = try String(contentsOfFile: rtlVCD, encoding: .utf8), modelText = try String(contentsOfFile: modelVCD, encoding: .utf8)
        let modelValues = vcdValues(modelText), rtlValues = vcdValues(rtlText)
        #expect(modelValues.keys.filter { $0.contains("\\mem[") }.count == 2 * p.contexts)
        var compared = 0, unknown = 0
        for (path, timeline) in modelValues {
            let rtl = try #require(rtlValues[path], "\(path) is not in the RTL's dump")
            for edge in risingEdges(rtlText, of: "clk_i") where edge - 1 > window.lowerBound * 10 && edge <= (window.upperBound + 1) * 10 {
                let m = value(timeline, at: edge - 1), r = value(rtl, at: edge - 1)
                #expect(m == r, "\(p) \(path) at \(edge - 1) ns: model \(m), RTL \(r)")
                compared += 1
                if r == "x" { unknown += 1 }
            }
        }
        #expect(compared > 200 && unknown > 10, "\(compared) values compared, \(unknown) of them x")
    }
}

/// The times at which `signal` (a one-bit `$var` of that name) rises.
func risingEdges(_ vcd: String, of signal: String) -> [Int] {
    var id: Substring?, time = 0, value: Character = "x", edges: [Int] = []
    for line in vcd.split(separator: "\n") {
        let t = line.split(separator: " ")
        if t.first == "$var", t.count > 4, t[4] == signal, id == nil { id = t[3] }
        if line.hasPrefix("#"), let n = Int(line.dropFirst()) { time = n }
        if let id, line.count == id.count + 1, line.dropFirst() == id, let v = line.first {
            if v == "1" && value != "1" { edges.append(time) }
            value = v
        }
    }
    return edges
}

/// Each `$var`'s value changes by full dotted path: (time, value), values in
/// binary without leading zeros ("x" kept as written).
func vcdValues(_ vcd: String) -> [String: [(time: Int, value: String)]] {
    var scopes: [String] = [], pathsByID: [Substring: [String]] = [:], values: [String: [(Int, String)]] = [:], time = 0
    var definitions = true
    func normalized(_ v: Substring) -> String {
        let digits = v.drop { $0 == "0" }
        return digits.isEmpty ? "0" : String(digits)
    }
    for line in vcd.split(separator: "\n") {
        let t = line.split(separator: " ")
        if definitions {
            if t.first == "$scope" { scopes.append(String(t[2])) }
            if t.first == "$upscope" { scopes.removeLast() }
            if t.first == "$var" { pathsByID[t[3], default: []].append((scopes + [String(t[4])]).joined(separator: ".")) }
            if t.first == "$enddefinitions" { definitions = false }
            continue
        }
        if line.hasPrefix("#"), let n = Int(line.dropFirst()) { time = n; continue }
        let value: Substring, id: Substring
        if line.hasPrefix("b"), t.count == 2 { value = t[0].dropFirst(); id = t[1] } else if let c = line.first, "01xz".contains(c) {
            value = line.prefix(1); id = line.dropFirst()
        } else { continue }
        for path in pathsByID[id] ?? [] { values[path, default: []].append((time, normalized(value))) }
    }
    return values
}

/// A signal's value at `time`: its last change at or before it.
func value(_ timeline: [(time: Int, value: String)], at time: Int) -> String {
    timeline.last { $0.time <= time }?.value ?? "none"
}

/// `run --fst` writes the same waveform as `--vcd`, in GTKWave's compressed
/// format: read back by GTKWave's own `fst2vcd`, every signal has the same
/// value changes at the same times, x included; an interrupted run's FST is
/// still a complete file.
@Suite(.serialized) struct FSTWaveforms {
    @Test(arguments: [UnitParameters(width: 8, contexts: 4, storage: .ff),
                      UnitParameters(width: 70, contexts: 8, storage: .sram, readLatency: 2)])
    func fstEqualsVCD(_ p: UnitParameters) throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/fst2vcd"), "fst2vcd is not installed (apt-get install gtkwave)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-fst-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("p.atk")
        try "load 1, 3\naccum 1, 0x5\nread 1\nswap 1, 7\nnop 2\nreset 2\nload 2, 9\naccum 2, 1\nread 2\nread 3\n"
            .write(to: program, atomically: true, encoding: .utf8)
        let vcd = dir.appendingPathComponent("w.vcd").path, fst = dir.appendingPathComponent("w.fst").path
        let r = try runAtomik(["run", program.path, "--engine", "cycle"] + p.arguments
                              + ["--vcd", vcd, "--fst", fst, "--vcd-contexts", "4"])
        #expect(r.status == 0, "\(r.text)")
        let converted = dir.appendingPathComponent("fst2vcd.vcd").path
        let c = Process()
        c.executableURL = URL(fileURLWithPath: "/usr/bin/fst2vcd")
        c.arguments = ["-f", fst, "-o", converted]
        c.standardError = FileHandle.nullDevice
        try c.run()
        c.waitUntilExit()
        #expect(c.terminationStatus == 0)
        let ours = vcdValues(try String(contentsOfFile: vcd, encoding: .utf8))
        let theirs = vcdValues(try String(contentsOfFile: converted, encoding: .utf8))
        // fst2vcd writes x at full width ("xxxx"), our VCD writes "x".
        func unified(_ t: [(time: Int, value: String)]) -> [String] {
            t.map { "\($0.time):\($0.value.allSatisfy { $0 == "x" } ? "x" : $0.value)" }
        }
        #expect(ours.count > 20 && Set(ours.keys) == Set(theirs.keys), "\(Set(ours.keys).symmetricDifference(theirs.keys))")
        for (path, timeline) in ours {
            #expect(unified(timeline) == unified(theirs[path] ?? []), "\(p) \(path)")
        }
    }

    @Test func interruptedFSTIsComplete() throws {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/fst2vcd"), "fst2vcd is not installed (apt-get install gtkwave)")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-fst-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("p.atk")
        try "load 1, 3\nnop 100000000\n".write(to: program, atomically: true, encoding: .utf8)
        let fst = dir.appendingPathComponent("w.fst").path
        let r = try runAtomik(["run", program.path, "--engine", "cycle", "--width", "8", "--contexts", "4", "--fst", fst],
                              interruptAfter: 3)
        #expect(r.status == 130, "\(r.text)")
        #expect(r.text.contains("the waveform ends at the last cycle run"))
        let c = Process()
        c.executableURL = URL(fileURLWithPath: "/usr/bin/fst2vcd")
        c.arguments = ["-f", fst]
        let pipe = Pipe()
        c.standardOutput = pipe
        c.standardError = FileHandle.nullDevice
        try c.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        c.waitUntilExit()
        #expect(c.terminationStatus == 0)
        #expect(risingEdges(text, of: "clk_i").count > 1000)
    }
}
