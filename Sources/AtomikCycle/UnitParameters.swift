import AtomikISA

/// Where the reference and accumulator banks live.
public enum Storage: String, CaseIterable, Sendable {
    /// Flip-flops with combinational read: an operation takes effect at the
    /// edge that samples it; READ/SWAP results are registered at that edge.
    case ff
    /// Synchronous-read memories (block RAM, SRAM macro): read-modify-write
    /// through a pipeline with forwarding; a clear sweep after reset.
    case sram
}

/// One design point of the ATOMiK unit. The legal range of every parameter is
/// declared here and checked by `validate` (every entry point calls it); the
/// RTL carries the same ranges.
public struct UnitParameters: Hashable, Sendable, CustomStringConvertible {
    public static let widthRange = 1...512
    public static let contextsRange = 1...65536
    public static let readLatencyRange = 1...2
    public static let lanesRange = 1...16

    public var width: Int
    public var contexts: Int
    public var storage: Storage
    /// Cycles from read address to read data of the `sram` banks (ignored for `ff`).
    public var readLatency: Int
    /// Operations the unit takes a cycle (above 1: `sram` with L = 1, one
    /// accumulator copy a lane; rtl/atomik_unit_lanes.v has the issue rule).
    public var lanes: Int

    public init(width: Int = 64, contexts: Int = 256, storage: Storage = .ff, readLatency: Int = 1, lanes: Int = 1) {
        self.width = width; self.contexts = contexts; self.storage = storage; self.readLatency = readLatency
        self.lanes = lanes
    }

    /// Throws a message naming the parameter and its legal range.
    public func validate() throws(UnitParameterError) {
        guard Self.widthRange.contains(width) else { throw .outOfRange("WIDTH", width, Self.widthRange) }
        guard Self.contextsRange.contains(contexts) else { throw .outOfRange("CONTEXTS", contexts, Self.contextsRange) }
        guard Self.readLatencyRange.contains(readLatency) else {
            throw .outOfRange("READ_LATENCY", readLatency, Self.readLatencyRange)
        }
        guard storage == .sram || readLatency == 1 else { throw .latencyWithoutMemory(readLatency) }
        guard Self.lanesRange.contains(lanes) else { throw .outOfRange("LANES", lanes, Self.lanesRange) }
        guard lanes == 1 || (storage == .sram && readLatency == 1) else { throw .lanesWithoutMemory(lanes) }
    }

    /// Bits of the context address port: ceil(log2(CONTEXTS)), at least 1.
    public var addressBits: Int { InstructionFormat.addressBits(contexts: contexts) }

    /// The design point as `atomik` options, for replay lines: the one place they are spelled.
    public var arguments: [String] {
        ["--width", "\(width)", "--contexts", "\(contexts)", "--storage", storage.rawValue]
            + (storage == .sram ? ["--read-latency", "\(readLatency)"] : [])
            + (lanes > 1 ? ["--lanes", "\(lanes)"] : [])
    }

    public var description: String {
        "WIDTH=\(width) CONTEXTS=\(contexts) STORAGE=\(storage.rawValue)"
            + (storage == .sram ? " READ_LATENCY=\(readLatency)" : "") + (lanes > 1 ? " LANES=\(lanes)" : "")
    }
}

public enum UnitParameterError: Error, Equatable, CustomStringConvertible {
    case outOfRange(String, Int, ClosedRange<Int>)
    case latencyWithoutMemory(Int)
    case lanesWithoutMemory(Int)

    public var description: String {
        switch self {
        case let .outOfRange(name, value, range):
            "\(name) = \(value) is outside its legal range \(range.lowerBound)...\(range.upperBound)"
        case let .latencyWithoutMemory(l):
            "READ_LATENCY = \(l) needs STORAGE = sram: flip-flop banks are read in the same cycle (READ_LATENCY = 1)"
        case let .lanesWithoutMemory(k):
            "LANES = \(k) needs STORAGE = sram with READ_LATENCY = 1 (one accumulator copy a lane in block RAM)"
        }
    }
}
