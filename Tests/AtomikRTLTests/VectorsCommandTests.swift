import Foundation
import Testing

/// `atomik vectors` with and without --dut: what goes with which, refused with exit 2 and the reason.
@Suite struct VectorsCommand {
    let corev2 = ["--dut", "corev2", "--rtl-dir", repositoryRoot.appendingPathComponent("Tests/AtomikCosimTests/Fixtures/corev2").path]

    @Test func misuseIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("atomik-vectors-cli-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let swapping = dir.appendingPathComponent("p.atk")
        try "load 0, 1\nnop 2\nswap 0, 5\n".write(to: swapping, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("v").path
        for (arguments, reason) in [
            (corev2 + ["--recipe", "uniform", "--coverage", "--out", out], "--coverage and --until-coverage measure our unit"),
            (corev2 + ["--out", out], "give a program file or --recipe"),
            (corev2 + [swapping.path, "--recipe", "uniform", "--out", out], "give a program file or --recipe"),
            ([swapping.path, "--recipe", "uniform", "--out", out], "give a program file or --recipe, not both"),
            (["--out", out], "give a program file, --recipe or --until-coverage"),
            (["--recipe", "uniform", "--strict", "--out", out], "--strict checks the values of a program file"),
            (["--recipe", "uniform", "--rtl-dir", "/tmp", "--out", out], "give --dut too"),
            (corev2 + [swapping.path, "--out", out], "p.atk:3:1: error: swap is not an operation of the DUT corev2"),
        ] {
            let (status, text) = try runAtomik(["vectors"] + arguments)
            #expect(status == 2, "\(arguments): \(text)")
            #expect(text.contains(reason), "\(arguments): \(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/manifest.json"), "nothing written on an error")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty ?? true, "no partial files left")
    }
}
