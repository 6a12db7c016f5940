import AtomikCycle
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Per-cycle stimulus and outputs exchanged with the Verilator shim in one
/// call per batch, laid out as testbench/atomik_shim.cpp reads and writes them.
public struct ShimBuffers {
    public let capacity: Int
    /// 32-bit words per data value: ceil(WIDTH / 32).
    public let words: Int
    public var count = 0
    /// bit 0 rst_n, bit 1 op_valid, bits 3:2 op_code, bit 4 op_keep.
    public var inCtl: [UInt8]
    public var inAddr: [UInt32]
    public var inData: [UInt32]
    /// bit 0 op_ready, 1 done, 2 result_valid, 3 wr_ref_en, 4 wr_acc_en.
    public var outCtl: [UInt8]
    public var outWaddr: [UInt32]
    public var outRdata: [UInt32]
    public var outWref: [UInt32]
    public var outWacc: [UInt32]

    public init(capacity: Int, width: Int) {
        self.capacity = capacity
        words = (width + 31) / 32
        inCtl = Array(repeating: 0, count: capacity)
        inAddr = Array(repeating: 0, count: capacity)
        inData = Array(repeating: 0, count: capacity * words)
        outCtl = Array(repeating: 0, count: capacity)
        outWaddr = Array(repeating: 0, count: capacity)
        outRdata = Array(repeating: 0, count: capacity * words)
        outWref = Array(repeating: 0, count: capacity * words)
        outWacc = Array(repeating: 0, count: capacity * words)
    }
}

/// The RTL compiled by Verilator into a shared library with a C ABI
/// (testbench/atomik_shim.cpp), loaded in this process for lockstep
/// co-simulation.
///
/// One model per library lives for the whole process (`shared`): a run starts
/// with a reset cycle, which puts the unit into the same state as a fresh one
/// (the sram clear sweep zeroes the memories), and Verilated models are not
/// destroyed, because their destructors race with the runtime's own teardown
/// at process exit. `lock` serialises runs that share a model.
public final class VerilatorShim: @unchecked Sendable {
    typealias CreateFn = @convention(c) () -> UnsafeMutableRawPointer?
    typealias WordsFn = @convention(c) () -> Int32
    typealias StepFn = @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<UInt8>?, UnsafePointer<UInt32>?, UnsafePointer<UInt32>?,
        UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?,
        UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?) -> Void

    private let handle: UnsafeMutableRawPointer
    private let stepFn: StepFn
    public let words: Int
    public let lock = NSLock()

    nonisolated(unsafe) private static var loaded: [String: VerilatorShim] = [:]
    private static let loadedLock = NSLock()

    /// The model of design point `p` (built, or found in the cache, and
    /// loaded on first use); `rtl` names another copy of rtl/ (a mutant).
    public static func shared(_ p: UnitParameters, rtl: String? = nil) throws -> VerilatorShim {
        try p.validate()
        let path = try RTLSimulator.runTestbench(
            root: try RTLSimulator.repositoryRoot(), simulator: .verilator, parameters: p, depth: 1,
            plusargs: [], mode: "shim", rtl: rtl, timeout: .seconds(900)
        ).split(separator: "\n").last.map(String.init) ?? ""
        loadedLock.lock()
        defer { loadedLock.unlock() }
        if let shim = loaded[path] { return shim }
        let shim = try VerilatorShim(library: path)
        loaded[path] = shim
        return shim
    }

    private init(library path: String) throws {
        guard let lib = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw RTLError("cannot load the Verilator shim \(path): \(String(cString: dlerror()))")
        }
        func symbol<T>(_ name: String, _: T.Type) throws -> T {
            guard let s = dlsym(lib, name) else { throw RTLError("the shim \(path) has no \(name)") }
            return unsafeBitCast(s, to: T.self)
        }
        let create = try symbol("atomik_shim_create", CreateFn.self)
        stepFn = try symbol("atomik_shim_step", StepFn.self)
        words = Int(try symbol("atomik_shim_words", WordsFn.self)())
        guard let h = create() else { throw RTLError("the shim could not create a model") }
        handle = h
    }

    /// Runs the `count` cycles whose inputs are in `b`, filling its outputs.
    public func step(_ b: inout ShimBuffers) {
        precondition(b.words == words, "buffers for a different width")
        let n = Int32(b.count)
        b.inCtl.withUnsafeBufferPointer { ic in
        b.inAddr.withUnsafeBufferPointer { ia in
        b.inData.withUnsafeBufferPointer { id in
        b.outCtl.withUnsafeMutableBufferPointer { oc in
        b.outWaddr.withUnsafeMutableBufferPointer { ow in
        b.outRdata.withUnsafeMutableBufferPointer { od in
        b.outWref.withUnsafeMutableBufferPointer { orf in
        b.outWacc.withUnsafeMutableBufferPointer { oac in
            stepFn(handle, n, ic.baseAddress, ia.baseAddress, id.baseAddress, oc.baseAddress, ow.baseAddress,
                   od.baseAddress, orf.baseAddress, oac.baseAddress)
        }}}}}}}}
    }
}
