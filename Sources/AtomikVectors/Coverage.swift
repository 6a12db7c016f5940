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
        // LANES > 1 only.
        case fullBundle = "an ACCUM in every lane of one cycle"
        case lanesShareContext = "two lanes of one cycle ACCUM one context"
        case readsLaneWrite = "LOAD, READ or SWAP of a context a lane above 0 wrote the cycle before"

        /// The event's bit in a set of events kept as a number.
        var bit: UInt8 {
            switch self {
            case .resultHeld: 1
            case .backToBackResults: 2
            case .doneDrops: 4
            case .stalledBySweep: 8
            case .acceptedAtSweepEnd: 16
            case .fullBundle: 32
            case .lanesShareContext: 64
            case .readsLaneWrite: 128
            }
        }
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

        // The cases in order, made once (`allCases` makes a new array each time).
        static let kinds = Kind.allCases, contexts = ContextClass.allCases
        static let distances = Distance.allCases, dataClasses = DataClass.allCases

        /// Every bin, reachable or not, in `index` order.
        static let all: [Bin] = kinds.flatMap { k in contexts.flatMap { c in distances.flatMap { d in
            dataClasses.flatMap { x in [false, true].map { Bin(kind: k, context: c, distance: d, data: x, afterReset: $0) } } } } }
        static var count: Int { all.count }

        /// A dense number for the bin, for tables of bins.
        var index: Int {
            let k = Self.kinds.firstIndex(of: kind)!, c = Self.contexts.firstIndex(of: context)!
            let d = Self.distances.firstIndex(of: distance)!, x = Self.dataClasses.firstIndex(of: data)!
            return (((k * Self.contexts.count + c) * Self.distances.count + d) * Self.dataClasses.count + x) * 2
                + (afterReset ? 1 : 0)
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
        var events: Set<Event> = [.resultHeld, .backToBackResults, .doneDrops]
        if p.storage == .sram { events.formUnion([.stalledBySweep, .acceptedAtSweepEnd]) }
        if p.lanes > 1 { events.formUnion([.fullBundle, .lanesShareContext, .readsLaneWrite]) }
        return events
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

/// Collects coverage from the cycles the model records, a batch at a time
/// and in order (`atomik vectors` does it on the thread that writes the
/// vector files), straight from the recorded columns.
public final class CoverageCollector {
    public let parameters: UnitParameters
    /// Operation bins hit, by `Coverage.Bin.index`.
    private var hit = [Bool](repeating: false, count: Coverage.Bin.count)
    /// Events hit, as `Event.bit`s.
    private var eventBits: UInt8 = 0
    /// Per context: the cycle of the last operation accepted since reset
    /// number `lastAcceptReset`, which must be the current `resets` to count.
    private var lastAccept: [Int]
    private var lastAcceptReset: [Int]
    private var resets = 0
    private var acceptedSinceReset = false
    private var cycle = 0
    /// The previous cycle's control bits and result data.
    private var previousIn: UInt8 = 0, previousOut: UInt8 = 0
    private var previousResult: [UInt32]
    private var havePrevious = false
    /// Contexts lanes above 0 ACCUMed in the previous cycle (LANES > 1).
    private var laneWrites: [Int] = [], laneWritesCycle = -2

    public init(_ p: UnitParameters) {
        parameters = p
        lastAccept = [Int](repeating: 0, count: p.contexts)
        lastAcceptReset = [Int](repeating: -1, count: p.contexts)
        previousResult = [UInt32](repeating: 0, count: (p.width + 31) / 32)
    }

    /// The operation bins hit.
    public var bins: Set<Coverage.Bin> { Set(Coverage.Bin.all.filter { hit[$0.index] }) }

    /// The event bins hit.
    public var events: Set<Coverage.Event> { Set(Coverage.Event.allCases.filter { eventBits & $0.bit != 0 }) }

    /// Takes the next batch of recorded cycles (`CycleBuffers` bit layout).
    public func record(_ b: CycleBuffers) {
        let words = b.words
        for k in 0..<b.count {
            let inCtl = b.inCtl[k], outCtl = b.outCtl[k]
            let rstN = inCtl & 1 != 0, opValid = inCtl & 2 != 0
            let ready = outCtl & 1 != 0, done = outCtl & 2 != 0, resultValid = outCtl & 4 != 0
            let result = UnsafeBufferPointer(start: b.outRdata + k * words, count: words)
            if havePrevious {
                let previousValid = previousOut & 4 != 0
                if previousValid && !resultValid && rstN && result.elementsEqual(previousResult) { eventBits |= Coverage.Event.resultHeld.bit }
                if previousValid && resultValid { eventBits |= Coverage.Event.backToBackResults.bit }
                if previousOut & 2 != 0 && !done && rstN { eventBits |= Coverage.Event.doneDrops.bit }
            }
            defer {
                previousIn = inCtl; previousOut = outCtl
                for j in 0..<words { previousResult[j] = result[j] }
                havePrevious = true
                cycle += 1
            }
            guard rstN else {
                resets += 1; acceptedSinceReset = false
                continue
            }
            if opValid && !ready { eventBits |= Coverage.Event.stalledBySweep.bit }
            guard opValid && ready else { continue }
            if havePrevious && previousIn & 2 != 0 && previousOut & 1 == 0 && previousIn & 1 != 0 {
                eventBits |= Coverage.Event.acceptedAtSweepEnd.bit
            }
            let kind: Coverage.Kind = switch Opcode(rawValue: (inCtl >> 2) & 3)! {
            case .load: .load
            case .accum: .accum
            case .read: .read
            case .swap: inCtl & 16 != 0 ? .swapKeep : .swapValue
            }
            let addr = Int(b.inAddr[k])
            precondition(addr < parameters.contexts, "recorded address \(addr) outside the design's \(parameters.contexts) contexts")
            let distance: Coverage.Distance
            if lastAcceptReset[addr] == resets {
                switch cycle - lastAccept[addr] - 1 {
                case 0: distance = .zero
                case 1: distance = .one
                case 2: distance = .two
                default: distance = .threePlus
                }
            } else {
                distance = .none
            }
            var data = Coverage.DataClass.none
            if kind.hasData {
                data = Coverage.dataClass(b.word(b.inData, at: k), width: parameters.width)
            }
            let bin = Coverage.Bin(kind: kind, context: Coverage.contextClass(addr, contexts: parameters.contexts),
                                   distance: distance, data: data, afterReset: !acceptedSinceReset)
            hit[bin.index] = true
            lastAccept[addr] = cycle
            lastAcceptReset[addr] = resets
            acceptedSinceReset = true
            if b.otherLanes > 0 { recordLanes(b, at: k, kind: kind, addr: addr) }
        }
    }

    /// The lane events of accepted cycle `k` (lane 0's operation `kind` on `addr`).
    private func recordLanes(_ b: CycleBuffers, at k: Int, kind: Coverage.Kind, addr: Int) {
        if kind != .accum && laneWritesCycle == cycle - 1 && laneWrites.contains(addr) {
            eventBits |= Coverage.Event.readsLaneWrite.bit
        }
        laneWrites.removeAll(keepingCapacity: true)
        laneWritesCycle = cycle
        guard kind == .accum else { return }
        for slot in k * b.otherLanes..<(k + 1) * b.otherLanes {
            let c = b.laneInCtl[slot]
            guard c & 2 != 0 && Opcode(rawValue: (c >> 2) & 3) == .accum else { continue }
            let a = Int(b.laneInAddr[slot])
            if a == addr || laneWrites.contains(a) { eventBits |= Coverage.Event.lanesShareContext.bit }
            laneWrites.append(a)
            // The distance of a later operation on this context counts from here.
            lastAccept[a] = cycle
            lastAcceptReset[a] = resets
        }
        if laneWrites.count == b.otherLanes { eventBits |= Coverage.Event.fullBundle.bit }
    }

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
