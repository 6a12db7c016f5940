import AtomikCore
import AtomikCycle
import AtomikISA
import AtomikRTL
import Foundation
import Testing

/// A directory with a fake `vvp` (Icarus's runtime) first on PATH.
func pathWithFakeVVP(_ script: String) throws -> (path: String, dir: URL) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-fake-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let vvp = dir.appendingPathComponent("vvp")
    try ("#!/bin/bash\n" + script + "\n").write(to: vvp, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: vvp.path)
    return (dir.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"), dir)
}

/// A failing simulator gives a clear error, is stopped when it hangs, and
/// leaves no result behind.
@Suite(.serialized) struct FailingTools {
    let p = UnitParameters(width: 8, contexts: 2, storage: .ff)
    let items: [ProgramItem] = [.op(.load(0, Word(5))), .op(.read(0))]

    func expectFailure(_ script: String, timeout: Duration = .seconds(60), _ check: (String) -> Bool) throws {
        try #require(RTLSimulator.icarus.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                     "iverilog is not installed")
        let (path, dir) = try pathWithFakeVVP(script)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            _ = try RTLSimulator.icarus.run(p, items: items, path: path, timeout: timeout)
        } throws: { error in
            check(String(describing: error))
        }
    }

    @Test func crashingSimulator() throws {
        try expectFailure("kill -SEGV $$") { $0.contains("run failed (exit") }
    }

    @Test func silentSimulator() throws {
        try expectFailure("exit 0") { $0.contains("did not finish") && $0.contains("ATOMIK-TB FINISHED") }
    }

    @Test func hangingSimulatorIsStopped() throws {
        let start = ContinuousClock.now
        try expectFailure("exec sleep 3001", timeout: .seconds(2)) { $0.contains("timed out") && $0.contains("stopped") }
        #expect(ContinuousClock.now - start < .seconds(30))
        // The sleeping child was killed with the run (gone within a few seconds even on a loaded machine;
        // left running, it would stay for 3001 s).
        func sleeping() throws -> Bool {
            let ps = Process()
            ps.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
            ps.arguments = ["-f", "sleep 3001"]   // an uncommon duration: an unrelated "sleep 300" on the machine is not this test's
            ps.standardOutput = FileHandle.nullDevice
            try ps.run(); ps.waitUntilExit()
            return ps.terminationStatus == 0
        }
        var waited = 0
        while try sleeping(), waited < 50 { usleep(100_000); waited += 1 }
        #expect(try !sleeping(), "no 'sleep 3001' left running")
    }

    @Test func rtlThatDoesNotCompile() throws {
        try #require(RTLSimulator.icarus.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                     "iverilog is not installed")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-broken-\(UUID())")
        try FileManager.default.copyItem(at: root.appendingPathComponent("rtl"), to: broken)
        defer { try? FileManager.default.removeItem(at: broken) }
        let file = broken.appendingPathComponent("atomik_decoder.v")
        try (try String(contentsOf: file, encoding: .utf8)).replacingOccurrences(of: "endmodule", with: "endmodul")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try RTLSimulator.icarus.run(p, items: items, rtl: broken.path)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("run failed") && text.contains("atomik_decoder.v")
        }
    }
}
