import ArgumentParser
import AtomikDUT
import AtomikProgram
import AtomikRTL
import Foundation

/// The options that name a design under test: a description file or a
/// preset, its RTL directory, and parameter and define overrides.
struct DUTOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A DUT description (YAML file) or a preset: \(DUTPreset.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "file|preset"))
    var dut: String?

    @Option(help: "With a preset: the directory of its RTL (default for atomik-unit: the tool's rtl/).")
    var rtlDir: String?

    @Option(help: ArgumentHelp("Override or add a parameter of the DUT's top module (repeatable).", valueName: "NAME=VALUE"))
    var param: [String] = []

    @Option(help: ArgumentHelp("Refuse to run unless the DUT's RTL files hash to this (replay commands carry it).",
                               valueName: "HASH"))
    var rtlHash: String?

    @Option(help: ArgumentHelp("Override or add a preprocessor define (repeatable; NAME alone defines it empty).",
                               valueName: "NAME[=VALUE]"))
    var define: [String] = []

    /// Without --dut, the DUT options mean nothing: say so rather than ignore them.
    func validateUnused() throws {
        if rtlDir != nil || !param.isEmpty || !define.isEmpty || rtlHash != nil {
            throw ValidationError("--rtl-dir, --param, --define and --rtl-hash describe a DUT: give --dut too")
        }
    }

    func parameters() throws -> [(name: String, value: String)] {
        try param.map { p in
            let parts = p.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, DUTDescriptionParser.isIdentifier(String(parts[0])), !parts[1].isEmpty,
                  !parts[1].contains(where: { $0 == ";" || $0 == ")" || $0 == "(" || $0.isNewline }) else {
                throw ValidationError("--param \(p): expected NAME=VALUE with a Verilog identifier and a value")
            }
            return (String(parts[0]), String(parts[1]))
        }
    }

    func defines() throws -> [(name: String, value: String?)] {
        try define.map { d in
            let parts = d.split(separator: "=", maxSplits: 1)
            guard let name = parts.first.map(String.init), DUTDescriptionParser.isIdentifier(name) else {
                throw ValidationError("--define \(d): expected NAME or NAME=VALUE")
            }
            return (name, parts.count == 2 ? String(parts[1]) : nil)
        }
    }

    /// The preset named by --dut, unless a file of that name is there.
    var preset: DUTPreset? {
        var directory: ObjCBool = false
        guard let dut, let p = DUTPreset(rawValue: dut) else { return nil }
        return FileManager.default.fileExists(atPath: dut, isDirectory: &directory) && !directory.boolValue ? nil : p
    }

    /// The description, read and checked (and its RTL against --rtl-hash); `extra` parameters override the command line's.
    func description(extra: [(name: String, value: String)] = []) throws -> DUTDescription {
        let d = try load(extra: extra)
        try checkHash(d)
        return d
    }

    /// Refuses `d` (a DUT, or our unit's RTL) when --rtl-hash names other RTL.
    func checkHash(_ d: DUTDescription) throws {
        guard let rtlHash else { return }
        let actual = DUTBuild.rtlHash(d)
        guard actual == rtlHash else {
            throw ValidationError("the RTL of \(d.name) (\(d.files.joined(separator: ", "))) hashes to \(actual), "
                                  + "not \(rtlHash): it is not the RTL this replay command was recorded with")
        }
    }

    func load(extra: [(name: String, value: String)]) throws -> DUTDescription {
        guard let dut else { throw ValidationError("no --dut given") }
        if let preset = preset {
            let dir: String
            if let rtlDir {
                dir = URL(fileURLWithPath: rtlDir).standardizedFileURL.path
            } else if preset == .atomikUnit {
                dir = try RTLSimulator.repositoryRoot().appendingPathComponent("rtl").path
            } else {
                throw ValidationError("--dut \(dut) describes the interface; give the directory of its Verilog with --rtl-dir")
            }
            return try preset.load(rtlDirectory: dir, parameters: try parameters() + extra, defines: try defines())
        }
        if rtlDir != nil { throw ValidationError("--rtl-dir goes with a preset; a description file names its own RTL") }
        return try DUTDescriptionParser.load(path: dut, parameters: try parameters() + extra, defines: try defines())
    }

    /// The words that select `d` (this DUT) again from any directory, with its RTL's hash.
    func arguments(_ d: DUTDescription) -> [String] {
        guard let dut else { return [] }
        var words: [String]
        if preset != nil {
            words = ["--dut", dut]
            if let rtlDir { words += ["--rtl-dir", URL(fileURLWithPath: rtlDir).standardizedFileURL.path] }
        } else {
            words = ["--dut", URL(fileURLWithPath: dut).standardizedFileURL.path]
        }
        return words + param.flatMap { ["--param", $0] } + define.flatMap { ["--define", $0] }
            + ["--rtl-hash", DUTBuild.rtlHash(d)]
    }
}
