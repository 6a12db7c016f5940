import Foundation
import Testing

/// Writing an output never damages what is there: not an input, not another
/// output, not a device, a FIFO or a link; `-` is standard output; a failed
/// write names its file.
@Suite struct OutputSafety {
    let dir: URL
    let program: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-outputs-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        program = dir.appendingPathComponent("p.atk")
        try "load 0, 5\nread 0\n".write(to: program, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @Test func anInputOrAnotherOutputIsRefused() throws {
        defer { remove() }
        let original = try Data(contentsOf: program)
        for (arguments, reason) in [
            (["asm", program.path, "-o", program.path], "is an input of this run"),
            (["run", program.path, "--engine", "cycle", "--trace", program.path], "is an input of this run"),
            (["run", program.path, "--engine", "cycle", "--vcd", program.path], "is an input of this run"),
            (["run", program.path, "--engine", "cycle", "--trace", path("t"), "--vcd", path("t")], "is named twice as an output"),
            (["run", program.path, "--engine", "cycle", "--trace", path("t"), "--vcd", dir.path + "/./t"], "is named twice as an output"),
            (["asm", program.path, "-o", dir.path], "it is a directory"),
        ] {
            let (status, text) = try runAtomik(arguments)
            #expect(status == 2, "\(arguments): \(text)")
            #expect(text.contains(reason), "\(arguments): \(text)")
            #expect(try Data(contentsOf: program) == original, "\(arguments) changed the input")
        }
        #expect(!FileManager.default.fileExists(atPath: path("t")), "nothing written for a refused run")
        // Commands whose outputs go into a directory, or that read a list: the same rule.
        let set = dir.appendingPathComponent("set")
        try FileManager.default.createDirectory(at: set, withIntermediateDirectories: true)
        let own = set.appendingPathComponent("program.atk"), list = dir.appendingPathComponent("list.txt")
        try Data(contentsOf: program).write(to: own)
        try "width=8 contexts=2 storage=ff recipe=uniform seed=1 length=20 simulator=verilator\n".write(to: list, atomically: true, encoding: .utf8)
        for (arguments, file) in [(["vectors", own.path, "--width", "8", "--contexts", "2", "--out", set.path], own),
                                  (["cosim", "--regress", list.path, "--junit", list.path], list)] {
            let before = try Data(contentsOf: file)
            let (status, text) = try runAtomik(arguments)
            #expect(status == 2 && text.contains("of this run"), "\(arguments): \(text)")
            #expect(try Data(contentsOf: file) == before, "\(arguments) changed its input")
        }
        // A link to the input is the input.
        try FileManager.default.createSymbolicLink(atPath: path("alias.atk"), withDestinationPath: program.path)
        let (status, text) = try runAtomik(["asm", program.path, "-o", path("alias.atk")])
        #expect(status == 2 && text.contains("is an input of this run"), "\(text)")
        #expect(try Data(contentsOf: program) == original)
    }

    @Test func devicesPipesAndLinksAreWrittenThrough() throws {
        defer { remove() }
        // /dev/null stays a device.
        #expect(try runAtomik(["asm", program.path, "-o", "/dev/null"]).status == 0)
        let null = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(null[.type] as? FileAttributeType == .typeCharacterSpecial)
        // "-" is standard output, and no file named "-" appears.
        let (status, out) = try runAtomik(["asm", program.path, "-o", "-"], withOutput: true, in: dir)
        #expect(status == 0 && out.hasPrefix("ATMKPRG1"), "\(out)")
        #expect(!FileManager.default.fileExists(atPath: path("-")))
        // A link to standard output writes there and stays a link.
        try FileManager.default.createSymbolicLink(atPath: path("stdout"), withDestinationPath: "/proc/self/fd/1")
        let viaLink = try runAtomik(["asm", program.path, "-o", path("stdout")], withOutput: true)
        #expect(viaLink.status == 0 && viaLink.text.hasPrefix("ATMKPRG1"), "\(viaLink.text)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: path("stdout"))) == "/proc/self/fd/1")
        // A link to a regular file: the file is replaced, the link stays.
        try "old".write(toFile: path("real.bin"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path("link.bin"), withDestinationPath: path("real.bin"))
        #expect(try runAtomik(["asm", program.path, "-o", path("link.bin")]).status == 0)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: path("link.bin"))) == path("real.bin"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("real.bin"))).starts(with: Array("ATMKPRG1".utf8)))
        // A FIFO is written through: a reader gets the bytes.
        #expect(mkfifo(path("fifo"), 0o644) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        reader.arguments = ["-c", "cat '\(path("fifo"))' > '\(path("from-fifo"))'"]
        try reader.run()
        #expect(try runAtomik(["asm", program.path, "-o", path("fifo")]).status == 0)
        reader.waitUntilExit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("from-fifo"))).starts(with: Array("ATMKPRG1".utf8)))
        let fifo = try FileManager.default.attributesOfItem(atPath: path("fifo"))
        #expect(fifo[.type] as? FileAttributeType != .typeRegular)
    }

    @Test func aFailedWriteNamesItsFile() throws {
        defer { remove() }
        let (status, text) = try runAtomik(["asm", program.path, "-o", "/dev/full"])
        #expect(status == 2)
        #expect(text.contains("cannot write '/dev/full': No space left on device"), "\(text)")
    }
}
