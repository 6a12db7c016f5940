import AtomikCore
import AtomikCycle
import AtomikProgram
import AtomikSupport
import Foundation

/// A waveform as FST, GTKWave's compressed format, for long runs: through
/// the FST writer that Debian's verilator package installs beside its include
/// files (`include/gtkwave/fstapi.c`), built once into a shared library in
/// the build cache (`DUTBuild.cacheRoot`). The library writes a file it can
/// seek, with a `.hier` file beside it, so the waveform is made in the
/// scratch directory and copied onto `out` when finished.
public final class FSTSink: WaveformSink {
    typealias CreateFn = @convention(c) (UnsafePointer<CChar>, Int32) -> UnsafeMutableRawPointer?
    typealias StringFn = @convention(c) (UnsafeMutableRawPointer, UnsafePointer<CChar>) -> Void
    typealias ScopeFn = @convention(c) (UnsafeMutableRawPointer, UInt32, UnsafePointer<CChar>, UnsafePointer<CChar>?) -> Void
    typealias ContextFn = @convention(c) (UnsafeMutableRawPointer) -> Void
    typealias VarFn = @convention(c) (UnsafeMutableRawPointer, UInt32, UInt32, UInt32, UnsafePointer<CChar>, UInt32) -> UInt32
    typealias TimeFn = @convention(c) (UnsafeMutableRawPointer, UInt64) -> Void
    typealias ValueFn = @convention(c) (UnsafeMutableRawPointer, UInt32, UnsafeRawPointer) -> Void

    // From fstapi.h.
    static let scopeModule: UInt32 = 0, scopeBegin: UInt32 = 3, varReg: UInt32 = 5, varWire: UInt32 = 16

    let out: ByteWriter
    let file: URL
    var context: UnsafeMutableRawPointer?
    var handles: [UInt32] = []
    var bits: [UInt8] = []
    let setComment: StringFn, setTimescale: StringFn, setScope: ScopeFn, setUpscope: ContextFn, createVar: VarFn
    let timeChange: TimeFn, valueChange: ValueFn, close: ContextFn

    public init(_ out: ByteWriter) throws {
        let lib = try SharedLibrary(try Self.library())
        setComment = try lib.function("fstWriterSetComment", StringFn.self)
        setTimescale = try lib.function("fstWriterSetTimescaleFromString", StringFn.self)
        setScope = try lib.function("fstWriterSetScope", ScopeFn.self)
        setUpscope = try lib.function("fstWriterSetUpscope", ContextFn.self)
        createVar = try lib.function("fstWriterCreateVar", VarFn.self)
        timeChange = try lib.function("fstWriterEmitTimeChange", TimeFn.self)
        valueChange = try lib.function("fstWriterEmitValueChange", ValueFn.self)
        close = try lib.function("fstWriterClose", ContextFn.self)
        self.out = out
        file = Scratch.path("waveform", suffix: ".fst")
        try FileManager.default.createDirectory(at: Scratch.root, withIntermediateDirectories: true)
        guard let ctx = try lib.function("fstWriterCreate", CreateFn.self)(file.path, 1) else {
            throw RTLError("the FST writer could not create \(file.path)")
        }
        context = ctx
    }

    deinit { if let context { close(context) } }

    /// The FST writer's shared library: built from Verilator's copy of fstapi.c on first use.
    static func library() throws -> String {
        let dir = DUTBuild.verilatorInclude + "/gtkwave"
        let sources = ["fstapi.c", "fastlz.c", "lz4.c"].map { dir + "/" + $0 }
        guard sources.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
            throw RTLError("FST output needs the FST writer of Verilator's package (\(dir)/fstapi.c): "
                           + "install it with 'apt-get install verilator' (or run scripts/setup.sh)")
        }
        guard FileManager.default.fileExists(atPath: "/usr/include/zlib.h") else {
            throw RTLError("FST output needs zlib's header: install it with 'apt-get install zlib1g-dev' (or run scripts/setup.sh)")
        }
        guard RTLSimulator.onPath("gcc") else { throw RTLError("FST output needs gcc: install it with 'apt-get install gcc'") }
        var key = ToolProcess.version("gcc", flag: "--version") + "\n"
        for f in try FileManager.default.contentsOfDirectory(atPath: dir).sorted() {
            key += f + "\n" + ((try? String(contentsOfFile: dir + "/" + f, encoding: .utf8)) ?? "") + "\n"
        }
        return try DUTBuild.cached("fst", key: key, product: "fst.so") { tmp in
            try ToolProcess.run(["gcc", "-O2", "-fPIC", "-shared", "-DFST_CONFIG_INCLUDE=\"fst_config.h\"", "-I\(dir)",
                                 "-o", tmp.appendingPathComponent("fst.so").path] + sources + ["-lz"],
                                in: tmp, timeout: .seconds(300)).check("gcc building the FST writer")
        }
    }

    public func header(comment: String) throws {
        guard let context else { return }
        setComment(context, comment)
        setTimescale(context, "1ns")
    }

    public func scope(_ name: String, isModule: Bool) throws {
        guard let context else { return }
        setScope(context, isModule ? Self.scopeModule : Self.scopeBegin, name, nil)
    }

    public func upscope() throws {
        guard let context else { return }
        setUpscope(context)
    }

    public func variable(_ name: String, bits width: Int, isRegister: Bool) throws {
        guard let context else { return }
        // The range in the name, as Verilator's FST traces write it (fst2vcd prints the name as given).
        let full = width > 1 ? "\(name) [\(width - 1):0]" : name
        handles.append(createVar(context, isRegister ? Self.varReg : Self.varWire, 0, UInt32(width), full, 0))
    }

    public func endDefinitions() throws {}

    public func time(_ ns: Int) throws {
        guard let context else { return }
        timeChange(context, UInt64(ns))
    }

    /// FST takes every value at its full width, as '0', '1' and 'x' characters, most significant first.
    public func change(_ index: Int, bits width: Int, to value: Word?) throws {
        guard let context else { return }
        bits.removeAll(keepingCapacity: true)
        for i in stride(from: width - 1, through: 0, by: -1) {
            bits.append(value.map { $0.bit(i) ? 0x31 : 0x30 } ?? UInt8(ascii: "x"))
        }
        bits.append(0)
        bits.withUnsafeBytes { valueChange(context, handles[index], $0.baseAddress!) }
    }

    /// Closes the FST and copies it onto the output.
    public func finish() throws {
        guard let ctx = context else { return }
        close(ctx)
        context = nil
        defer { try? FileManager.default.removeItem(at: file) }
        guard let input = FileHandle(forReadingAtPath: file.path) else { throw RTLError("the FST writer left no file at \(file.path)") }
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write { $0.append(contentsOf: chunk) } }
        try out.flush()
    }
}
