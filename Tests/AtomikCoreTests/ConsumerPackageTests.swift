import Foundation
import Testing

/// Another package can depend on ours by version and use the golden model:
/// SwiftPM refuses products whose targets carry unsafe flags, so this builds a
/// consumer against a tagged clone of this repository's committed HEAD.
@Suite struct ConsumerPackage {
    @Test func dependsOnATaggedCloneAndRuns() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try #require(FileManager.default.fileExists(atPath: root.appendingPathComponent(".git").path), "not a git checkout")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-consumer-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clone = dir.appendingPathComponent("atomik-sim"), consumer = dir.appendingPathComponent("consumer")
        try FileManager.default.createDirectory(at: consumer.appendingPathComponent("Sources/Consumer"), withIntermediateDirectories: true)
        func sh(_ args: [String], in cwd: URL) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = args
            p.currentDirectoryURL = cwd
            // SwiftPM's lock files for a package go to the temporary directory: keep them in ours.
            p.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": dir.path]) { $1 }
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = pipe
            try p.run()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(args.joined(separator: " ")):\n\(out)")
            return out
        }
        _ = try sh(["git", "clone", "-q", root.path, clone.path], in: dir)
        _ = try sh(["git", "-c", "user.name=t", "-c", "user.email=t@t", "tag", "1.0.0"], in: clone)
        try """
        // swift-tools-version:6.0
        import PackageDescription
        let package = Package(
            name: "Consumer",
            dependencies: [.package(url: "file://\(clone.path)", from: "1.0.0")],
            targets: [.executableTarget(name: "Consumer", dependencies: [
                .product(name: "AtomikCore", package: "atomik-sim"), .product(name: "AtomikProgram", package: "atomik-sim")])]
        )
        """.write(to: consumer.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try """
        import AtomikCore
        import AtomikProgram
        let t = try AtomikTable<UInt64>(contexts: 4, width: 32)
        try t.load(1, 0xCAFEBABE)
        try t.accum(1, 0xCAFEBABE ^ 0xDEADBEEF)
        print(String(try t.read(1), radix: 16), TextFormat.format(.op(.read(1))))
        """.write(to: consumer.appendingPathComponent("Sources/Consumer/main.swift"), atomically: true, encoding: .utf8)
        let out = try sh(["swift", "run", "-c", "release", "Consumer"], in: consumer)
        #expect(out.contains("deadbeef read 1"), "\(out)")
    }
}
