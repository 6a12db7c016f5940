import AtomikCycle
import Foundation

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
        UnsafeMutablePointer<UInt32>?, UnsafeMutablePointer<UInt32>?,
        UnsafePointer<UInt8>?, UnsafePointer<UInt32>?, UnsafePointer<UInt32>?, UnsafePointer<UInt32>?,
        UnsafePointer<UInt32>?, UnsafePointer<UnsafeRawPointer?>?) -> Int32

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
        let lib = try SharedLibrary(path)
        let create = try lib.function("atomik_shim_create", CreateFn.self)
        stepFn = try lib.function("atomik_shim_step", StepFn.self)
        words = Int(try lib.function("atomik_shim_words", WordsFn.self)())
        guard let h = create() else { throw RTLError("the shim could not create a model") }
        handle = h
    }

    /// Runs the cycles whose inputs are in `model` (as the cycle model
    /// recorded them) and writes the RTL's outputs into `rtl`. With
    /// `compare`, the shim also checks each cycle against `model`'s outputs
    /// as it goes (`CycleBuffers.matches`' rule) and the index of the first
    /// cycle that differs comes back; otherwise, and when every cycle matches,
    /// `model.count`.
    @discardableResult
    public func step(inputs model: CycleBuffers, outputs rtl: CycleBuffers, compare: Bool = false) -> Int {
        precondition(model.words == words && rtl.words == words && rtl.capacity >= model.count,
                     "buffers for a different width")
        precondition(model.otherLanes == rtl.otherLanes, "buffers for a different number of lanes")
        // Lanes 1...: the nine columns atomik_shim_step reads and writes (testbench/atomik_shim.cpp).
        var lanes: [UnsafeRawPointer?] = []
        if model.otherLanes > 0 {
            let inputs: [UnsafeRawPointer] = [.init(model.laneInCtl), .init(model.laneInAddr), .init(model.laneInData)]
            let outputs: [UnsafeRawPointer] = [.init(rtl.laneOutCtl), .init(rtl.laneOutWaddr), .init(rtl.laneOutWacc)]
            let expected: [UnsafeRawPointer] = [.init(model.laneOutCtl), .init(model.laneOutWaddr), .init(model.laneOutWacc)]
            lanes = inputs + outputs + expected
        }
        let first = lanes.withUnsafeBufferPointer { l in
            stepFn(handle, Int32(model.count), model.inCtl, model.inAddr, model.inData, rtl.outCtl, rtl.outWaddr,
                   rtl.outRdata, rtl.outWref, rtl.outWacc,
                   compare ? model.outCtl : nil, model.outWaddr, model.outRdata, model.outWref, model.outWacc,
                   model.otherLanes == 0 ? nil : l.baseAddress)
        }
        rtl.count = model.count
        return Int(first)
    }
}
