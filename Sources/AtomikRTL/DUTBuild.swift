import AtomikCore
import AtomikDUT
import AtomikProgram
import Foundation

/// Builds a described design for a simulator, once per design and tool
/// version: the Icarus testbench (`atomik_bridge_tb`) as a vvp file, or the
/// Verilator model of `atomik_bridge` as a shared library with a C ABI for
/// lockstep. Everything but the user's RTL is generated here, except the
/// shims' port conversions, testbench/atomik_port_words.h (one copy for both).
///
/// Builds are cached under $ATOMIK_RTL_CACHE (default $ATOMIK_CACHE_DIR/rtl, else $XDG_CACHE_HOME/atomik/rtl,
/// else ~/.cache/atomik/rtl, as testbench/run.sh does),
/// keyed by the generated sources, every RTL and include file, the defines
/// and the tool's version.
public enum DUTBuild {
    /// Where Debian's verilator package puts its runtime sources (and GTKWave's FST writer).
    static let verilatorInclude = "/usr/share/verilator/include"

    public static var cacheRoot: URL {
        if let dir = ProcessInfo.processInfo.environment["ATOMIK_RTL_CACHE"] { return URL(fileURLWithPath: dir) }
        return userCache("rtl")
    }

    /// The cache directory for the tool's `kind` of results: $ATOMIK_CACHE_DIR/KIND (a directory
    /// that runs on many machines share), else $XDG_CACHE_HOME/atomik/KIND, else
    /// ~/.cache/atomik/KIND (never inside an install, which may be read-only). Entries are
    /// written under unique names and renamed into place, so concurrent writers are safe.
    public static func userCache(_ kind: String) -> URL {
        let env = ProcessInfo.processInfo.environment
        if let shared = env["ATOMIK_CACHE_DIR"], !shared.isEmpty { return URL(fileURLWithPath: shared).appendingPathComponent(kind) }
        let cache = env["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: env["HOME"] ?? NSTemporaryDirectory()).appendingPathComponent(".cache")
        return cache.appendingPathComponent("atomik/\(kind)")
    }

    /// The vvp file of the Icarus testbench.
    public static func icarus(_ d: DUTDescription, timeout: Duration = .seconds(600)) throws -> String {
        try build(d, simulator: .icarus, timeout: timeout) { dir, bridge in
            let out = dir.appendingPathComponent("sim").path
            try run(["iverilog", "-g2012", "-s", "atomik_bridge_tb", "-o", out] + flags(d, define: "-D", include: "-I")
                    + d.files + [bridge], what: "iverilog", timeout: timeout, description: d)
        }
    }

    /// The shared library of the Verilator model (see `DUTShim`).
    public static func verilatorShim(_ d: DUTDescription, timeout: Duration = .seconds(900)) throws -> String {
        try build(d, simulator: .verilator, timeout: timeout) { dir, bridge in
            let obj = dir.appendingPathComponent("obj")
            try run(["verilator", "--cc", "-Wno-fatal", "-Wno-lint", "-Wno-style", "-O3", "--top-module", "atomik_bridge",
                     "-Mdir", obj.path] + flags(d, define: "-D", include: "-I") + d.files + [bridge],
                    what: "verilator", timeout: timeout, description: d)
            let generated = try FileManager.default.contentsOfDirectory(atPath: obj.path)
                .filter { $0.hasPrefix("Vatomik_bridge") && $0.hasSuffix(".cpp") }.sorted()
            let unity = dir.appendingPathComponent("model.cpp")
            try generated.map { "#include \"\(obj.path)/\($0)\"\n" }.joined().write(to: unity, atomically: true, encoding: .utf8)
            let shim = dir.appendingPathComponent("shim.cpp")
            try DUTShim.source(width: d.width).write(to: shim, atomically: true, encoding: .utf8)
            let inc = verilatorInclude, out = dir.appendingPathComponent("sim.so").path
            let ports = try DUTShim.portHeader().deletingLastPathComponent().path
            try run(["g++", "-std=c++17", "-O3", "-fPIC", "-shared", "-faligned-new", "-Wl,-Bsymbolic", "-DVM_COVERAGE=0",
                     "-DVM_SC=0", "-DVM_TRACE=0", "-I\(obj.path)", "-I\(ports)", "-I\(inc)", "-I\(inc)/vltstd", "-o", out, shim.path,
                     unity.path, "\(inc)/verilated.cpp", "\(inc)/verilated_threads.cpp", "-pthread", "-latomic"],
                    what: "g++ (the Verilator model)", timeout: timeout, description: d)
            try FileManager.default.removeItem(at: obj)
        }
    }

    /// The testbench of a described design under Verilator built with `--coverage` (an executable
    /// that writes its line and toggle counts to `+coverage=F`).
    public static func verilatorCoverage(_ d: DUTDescription, timeout: Duration = .seconds(900)) throws -> String {
        try RTLSimulator.require([RTLSimulator.verilator.tool])
        let sources = [("atomik_bridge.v", DUTBridge.verilog(d)), ("atomik_bridge_tb.v", DUTBridge.testbench(d)),
                       ("atomik_bridge_tb_main.cpp", DUTBridge.verilatorMain)]
        return try cached("dut-coverage", key: try key(d, sources.map(\.1), tool: "verilator"), product: "sim") { dir in
            for (name, text) in sources { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
            let obj = dir.appendingPathComponent("obj")
            try run(["verilator", "--cc", "--exe", "--build", "-j", "2", "--coverage", "-Wno-fatal", "-Wno-lint", "-Wno-style",
                     "--top-module", "atomik_bridge_tb", "-Mdir", obj.path, "-o", "sim"] + flags(d)
                    + sources.map { dir.appendingPathComponent($0.0).path } + d.files,
                    what: "verilator --coverage", timeout: timeout, description: d)
            try FileManager.default.moveItem(at: obj.appendingPathComponent("sim"), to: dir.appendingPathComponent("sim"))
            try FileManager.default.removeItem(at: obj)
        }
    }

    /// A description's include directories and defines as a tool's flags (`-I`/`-D` for iverilog, Verilator, yosys).
    public static func flags(_ d: DUTDescription, define: String = "-D", include: String = "-I") -> [String] {
        d.includeDirectories.map { include + $0 } + d.defines.map { define + $0.name + ($0.value.map { "=" + $0 } ?? "") }
    }

    /// The yosys command that reads a described design (`read_verilog -sv`, its include directories,
    /// defines and files), quoted for yosys' command parser, so that a path with a space or a semicolon
    /// is one word. yosys takes no path with a double quote, and no define with a space, quote or
    /// semicolon (a define is one unquoted word there): those are refused, by name.
    public static func yosysRead(_ d: DUTDescription) throws(ProgramError) -> String {
        func path(_ p: String) throws(ProgramError) -> String {
            guard !p.contains("\"") else { throw ProgramError("yosys cannot read a path with a double quote in it: \(p)") }
            return "\"" + p + "\""
        }
        var words = ["read_verilog", "-sv"]
        for dir in d.includeDirectories { words += ["-I", try path(dir)] }
        for define in d.defines {
            let word = define.name + (define.value.map { "=" + $0 } ?? "")
            guard !word.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == ";" }) else {
                throw ProgramError("yosys cannot take the define \(word): a define with a space, a quote or a semicolon "
                                   + "is not one word in a yosys script")
            }
            words.append("-D" + word)
        }
        for f in d.files { words.append(try path(f)) }
        return words.joined(separator: " ")
    }

    /// The cached product of a described design for `simulator`, built by `body` (given the build directory and the bridge) when not cached.
    static func build(_ d: DUTDescription, simulator: RTLSimulator, timeout: Duration,
                      _ body: (URL, String) throws -> Void) throws -> String {
        try RTLSimulator.require([simulator.tool])
        let bridge = DUTBridge.verilog(d) + (simulator == .icarus ? DUTBridge.testbench(d) : "")
        let shim = simulator == .verilator
            ? [DUTShim.source(width: d.width), try String(contentsOf: try DUTShim.portHeader(), encoding: .utf8)] : []
        let key = try key(d, [bridge] + shim, tool: simulator.tool.command)
        return try cached("dut-\(simulator.rawValue)", key: key, product: simulator == .icarus ? "sim" : "sim.so") { tmp in
            let bridgeFile = tmp.appendingPathComponent("atomik_bridge.v")
            try bridge.write(to: bridgeFile, atomically: true, encoding: .utf8)
            try body(tmp, bridgeFile.path)
        }
    }

    /// The cache key of a build of `d` from generated `sources` with `tool`: the sources, the tool's
    /// version, the flags, and each RTL file's path and bytes.
    static func key(_ d: DUTDescription, _ sources: [String], tool: String) throws -> String {
        var key = sources.joined() + ToolProcess.version(tool, flag: "-V") + "\n" + flags(d).joined(separator: " ")
        for f in d.files + includeFiles(d) {
            guard let data = FileManager.default.contents(atPath: f) else { throw RTLError("cannot read the RTL file \(f)") }
            key += "\n\(f)\n" + String(decoding: data, as: UTF8.self)
        }
        return key
    }

    /// The file `product` of a build keyed by `key` (sources, flags, tool versions):
    /// in the cache as `KIND-HASH/product`, or built by `body` into a fresh
    /// directory that is then renamed into the cache (concurrent runs each build,
    /// and either copy is good).
    static func cached(_ kind: String, key: String, product: String, _ body: (URL) throws -> Void) throws -> String {
        let cache = cacheRoot.appendingPathComponent("\(kind)-\(String(FNV1a.hash(key.utf8), radix: 16))")
        let built = cache.appendingPathComponent(product)
        if FileManager.default.fileExists(atPath: built.path) { return built.path }
        try FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
        let tmp = cacheRoot.appendingPathComponent("tmp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        try body(tmp)
        if (try? FileManager.default.moveItem(at: tmp, to: cache)) == nil,
           !FileManager.default.fileExists(atPath: built.path) {
            throw RTLError("cannot move the build \(tmp.path) into the cache \(cache.path)")
        }
        return built.path
    }

    /// A hash of RTL files' names and contents (not their directories), so a copy
    /// elsewhere hashes the same: replay commands and JUnit carry it.
    /// How `contentHash` is computed, for a manifest's reader to check the files with.
    public static let hashRule = "64-bit FNV-1a, in lower-case hex without leading zeros, of each file's name (without its directory), "
        + "a newline, its bytes and a newline, the files in order of name; a file's hash is that of the file alone, "
        + "rtl_hash that of every RTL file and every header in the include directories"

    public static func contentHash(_ files: [String]) -> String {
        var text = ""
        // Each file once (a file list may name a header its include directory holds too).
        let unique = Set(files.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        for f in unique.sorted(by: { (($0 as NSString).lastPathComponent, $0) < (($1 as NSString).lastPathComponent, $1) }) {
            text += (f as NSString).lastPathComponent + "\n" + ((try? String(contentsOfFile: f, encoding: .utf8)) ?? "") + "\n"
        }
        return String(FNV1a.hash(text.utf8), radix: 16)
    }

    /// The hash of a described design's RTL: its files and include files.
    public static func rtlHash(_ d: DUTDescription) -> String { contentHash(d.files + includeFiles(d)) }

    /// The Verilog headers in the include directories (they change a build too).
    public static func includeFiles(_ d: DUTDescription) -> [String] {
        d.includeDirectories.flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasSuffix(".vh") || $0.hasSuffix(".svh") || $0.hasSuffix(".v") || $0.hasSuffix(".sv") }
                .sorted().map { dir + "/" + $0 }
        }
    }

    static func run(_ arguments: [String], what: String, timeout: Duration, description d: DUTDescription) throws {
        let r = try ToolProcess.run(arguments, in: FileManager.default.temporaryDirectory, timeout: timeout)
        if r.timedOut { throw RTLError("\(what) timed out after \(timeout) and was stopped") }
        // A parameter the top module lacks: Verilator stops, Icarus only warns and would run another
        // design than the one named, so both are refused, naming where the parameter came from.
        if r.output.contains("Parameter pin not found") || (r.output.contains("warning: parameter ") && r.output.contains(" not found in ")) {
            throw RTLError("\(what) \(r.status == 0 ? "warned" : "failed (exit \(r.status))") building the DUT \(d.name):\n\(r.output)"
                           + "\na parameter set in \(d.origin) or by --param is not a parameter of \(d.top)")
        }
        guard r.status == 0 else {
            // A port the top module lacks shows up in the generated bridge: say where it was named.
            let port = r.output.contains("PINNOTFOUND") || r.output.contains("is not a port of")
                ? "\na port named in \(d.origin) is not a port of \(d.top) (atomik_bridge.v is generated from the description)" : ""
            throw RTLError("\(what) failed (exit \(r.status)) building the DUT \(d.name):\n\(r.output)\(port)")
        }
    }
}
