import AtomikCore
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation

/// One pre-decoded 64-bit operation, as the hot loop consumes it.
struct Op64 {
    var opcode: Opcode
    var keep: Bool
    var address: Int
    var data: UInt64
}

enum CoreBenchmark {
    static let width = 64
    static let contexts = 256

    static func run(ops: Int, python: String?) {
        let streams: [(String, [ProgramItem])] = [
            ("accum", accumStream(ops)),
            ("mixed", Array(RandomProgram(width: width, contexts: contexts, count: ops, seed: 2, idleRate: 0))),
        ]
        let py = python ?? defaultPython()
        print("core benchmark: W=\(width) C=\(contexts), \(ops) operations per stream, release build")
        print("stream   swift ops/s      atomik-core ops/s   ratio")
        for (name, items) in streams {
            let swiftRate = measureSwift(items)
            let pyRate = measurePython(items, python: py)
            let ratio = pyRate.map { String(format: "%.0fx", swiftRate / $0) } ?? "n/a"
            let pyText = pyRate.map { String(format: "%.2f M", $0 / 1e6) } ?? "python unavailable"
            func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(1, n - s.count)) }
            print(pad(name, 9) + pad(String(format: "%.1f M", swiftRate / 1e6), 17) + pad(pyText, 20) + ratio)
        }
    }

    static func accumStream(_ n: Int) -> [ProgramItem] {
        var rng = StimulusRandom(seed: 1)
        return (0..<n).map { _ in .op(.accum(Int(rng.below(UInt64(contexts))), Word(rng.next()))) }
    }

    /// Best of several passes over the whole stream; ops per second.
    static func measureSwift(_ items: [ProgramItem]) -> Double {
        let ops: [Op64] = items.compactMap {
            guard case .op(let i) = $0 else { return nil }
            return Op64(opcode: i.opcode, keep: i.keep, address: i.address, data: i.data.low64)
        }
        let table = try! AtomikTable<UInt64>(contexts: contexts, width: width)
        var best = Double.infinity
        var sink: UInt64 = 0
        for _ in 0..<15 {
            let start = ContinuousClock.now
            sink ^= execute(ops, on: table)
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        if sink == 0x5EED { print("") }  // keeps the results alive
        return Double(ops.count) / best
    }

    @inline(never)
    static func execute(_ ops: [Op64], on table: AtomikTable<UInt64>) -> UInt64 {
        var sink: UInt64 = 0
        ops.withUnsafeBufferPointer { buf in
            for op in buf {
                do {
                    switch op.opcode {
                    case .load: try table.load(op.address, op.data)
                    case .accum: try table.accum(op.address, op.data)
                    case .read: sink ^= try table.read(op.address)
                    case .swap: sink ^= try table.swap(op.address, op.keep ? nil : op.data)
                    }
                } catch { fatalError("\(error)") }
            }
        }
        return sink
    }

    static func defaultPython() -> String {
        if let p = ProcessInfo.processInfo.environment["ATOMIK_PYTHON"] { return p }
        let venv = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// atomik-core's ops/s on the same stream, or nil when Python or the package is missing.
    static func measurePython(_ items: [ProgramItem], python: String) -> Double? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-bench-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("stream.atk")
        let text = items.map { TextFormat.format($0) }.joined(separator: "\n") + "\n"
        try? text.write(to: file, atomically: true, encoding: .utf8)
        let script = FileManager.default.currentDirectoryPath + "/scripts/atomik_reference.py"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script, "bench", "--ops", "\(items.count)", file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let s = String(data: data, encoding: .utf8),
              let field = s.split(whereSeparator: { $0 == " " || $0 == "\n" }).first(where: { $0.hasPrefix("ops_per_s=") })
        else { return nil }
        return Double(field.dropFirst("ops_per_s=".count))
    }
}
