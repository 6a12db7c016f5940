import AtomikCore
import AtomikCycle
import AtomikISA

/// The functional coverage model of the unit, declared here and nowhere else.
///
/// Operation bins: every accepted operation falls into one bin of
/// kind (LOAD, ACCUM, READ, SWAP-keep, SWAP-value) x context class (first,
/// last, other) x distance to the previous operation on the same context
/// (0, 1, 2, 3+ cycles between them, or none since reset) x data class (zero,
/// all ones, MSB only, single bit, other; none for READ and SWAP-keep) x
/// after-reset (the first operation accepted after a reset).
/// Event bins: result-register hold, back-to-back results, done dropping after
/// an idle cycle, and for `sram` an operation stalled by the clear sweep and
/// one accepted in the cycle the sweep ends.
public enum Coverage {
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        case load, accum, read, swapKeep = "swap-keep", swapValue = "swap-value"
        public var hasData: Bool { self == .load || self == .accum || self == .swapValue }
    }

    public enum ContextClass: String, CaseIterable, Hashable, Sendable { case first, last, other }

    public enum Distance: String, CaseIterable, Hashable, Sendable {
        case zero = "0", one = "1", two = "2", threePlus = "3+", none
    }

    public enum DataClass: String, CaseIterable, Hashable, Sendable {
        case zero, allOnes = "all-ones", msbOnly = "msb-only", singleBit = "single-bit", other, none = "-"
    }

    public enum Event: String, CaseIterable, Hashable, Sendable {
        case resultHeld = "result register holds after a result"
        case backToBackResults = "results in consecutive cycles"
        case doneDrops = "done drops after an idle cycle"
        case stalledBySweep = "operation stalled by the clear sweep"
        case acceptedAtSweepEnd = "operation accepted as the sweep ends"
    }

    /// One operation bin.
    public struct Bin: Hashable, Sendable, CustomStringConvertible {
        public var kind: Kind
        public var context: ContextClass
        public var distance: Distance
        public var data: DataClass
        public var afterReset: Bool

        public var description: String {
            "\(kind.rawValue) ctx=\(context.rawValue) dist=\(distance.rawValue) data=\(data.rawValue)"
                + (afterReset ? " after-reset" : "")
        }
    }

    /// The operation bins a design point can reach.
    public static func reachableBins(_ p: UnitParameters) -> Set<Bin> {
        let contexts: [ContextClass] = p.contexts == 1 ? [.first] : p.contexts == 2 ? [.first, .last] : ContextClass.allCases
        let data: [DataClass] = p.width == 1 ? [.zero, .allOnes]
            : p.width == 2 ? [.zero, .allOnes, .msbOnly, .singleBit] : [.zero, .allOnes, .msbOnly, .singleBit, .other]
        var bins = Set<Bin>()
        for kind in Kind.allCases {
            for c in contexts {
                for d in kind.hasData ? data : [.none] {
                    bins.insert(Bin(kind: kind, context: c, distance: .none, data: d, afterReset: true))
                    // A first touch that is not the first operation needs another context.
                    if p.contexts > 1 { bins.insert(Bin(kind: kind, context: c, distance: .none, data: d, afterReset: false)) }
                    for dist in [Distance.zero, .one, .two, .threePlus] {
                        bins.insert(Bin(kind: kind, context: c, distance: dist, data: d, afterReset: false))
                    }
                }
            }
        }
        return bins
    }

    /// The event bins a design point can reach.
    public static func reachableEvents(_ p: UnitParameters) -> Set<Event> {
        p.storage == .sram ? Set(Event.allCases) : [.resultHeld, .backToBackResults, .doneDrops]
    }

    public static func contextClass(_ addr: Int, contexts: Int) -> ContextClass {
        addr == 0 ? .first : addr == contexts - 1 ? .last : .other
    }

    public static func dataClass(_ v: Word, width: Int) -> DataClass {
        let mask = Word.mask(width: width)
        let x = v & mask
        if x.isZero { return .zero }
        if x == mask { return .allOnes }
        var msb = SIMD8<UInt64>(repeating: 0)
        msb[(width - 1) >> 6] = 1 << UInt64((width - 1) & 63)
        if x == Word(limbs: msb) { return .msbOnly }
        let bits = (0..<8).reduce(0) { $0 + x.limbs[$1].nonzeroBitCount }
        return bits == 1 ? .singleBit : .other
    }
}

/// Collects coverage from a cycle-level run.
public final class CoverageCollector: CycleObserver {
    public let parameters: UnitParameters
    public private(set) var bins = Set<Coverage.Bin>()
    public private(set) var events = Set<Coverage.Event>()
    private var lastAccept: [Int: Int] = [:]
    private var acceptedSinceReset = false
    private var previous: TraceRecord?

    public init(_ p: UnitParameters) { parameters = p }

    public func start(_ parameters: UnitParameters) {}

    public func record(_ r: TraceRecord, unit: any CycleUnit) {
        let i = r.inputs, o = r.outputs
        defer { previous = r }
        if let prev = previous {
            if prev.outputs.resultValid && !o.resultValid && o.resultData == prev.outputs.resultData && i.rstN {
                events.insert(.resultHeld)
            }
            if prev.outputs.resultValid && o.resultValid { events.insert(.backToBackResults) }
            if prev.outputs.done && !o.done && i.rstN { events.insert(.doneDrops) }
        }
        guard i.rstN else {
            lastAccept.removeAll(); acceptedSinceReset = false
            return
        }
        if i.opValid && !o.opReady { events.insert(.stalledBySweep) }
        guard i.opValid && o.opReady else { return }
        if let prev = previous, prev.inputs.opValid && !prev.outputs.opReady && prev.inputs.rstN {
            events.insert(.acceptedAtSweepEnd)
        }
        let kind: Coverage.Kind = switch i.opCode {
        case .load: .load
        case .accum: .accum
        case .read: .read
        case .swap: i.opKeep ? .swapKeep : .swapValue
        }
        let distance: Coverage.Distance
        if let last = lastAccept[i.opAddr] {
            switch r.cycle - last - 1 {
            case 0: distance = .zero
            case 1: distance = .one
            case 2: distance = .two
            default: distance = .threePlus
            }
        } else {
            distance = .none
        }
        bins.insert(Coverage.Bin(
            kind: kind, context: Coverage.contextClass(i.opAddr, contexts: parameters.contexts), distance: distance,
            data: kind.hasData ? Coverage.dataClass(i.opData, width: parameters.width) : .none,
            afterReset: !acceptedSinceReset))
        lastAccept[i.opAddr] = r.cycle
        acceptedSinceReset = true
    }

    public func finish(cycles: Int) {}

    /// Reachable bins not hit yet.
    public var missedBins: [Coverage.Bin] {
        Coverage.reachableBins(parameters).subtracting(bins).sorted { $0.description < $1.description }
    }

    public var missedEvents: [Coverage.Event] {
        Coverage.reachableEvents(parameters).subtracting(events).sorted { $0.rawValue < $1.rawValue }
    }

    /// Hit and reachable counts, bins and events together.
    public var summary: (hit: Int, reachable: Int) {
        let rb = Coverage.reachableBins(parameters), re = Coverage.reachableEvents(parameters)
        return (bins.intersection(rb).count + events.intersection(re).count, rb.count + re.count)
    }
}
