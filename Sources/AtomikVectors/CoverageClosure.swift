import AtomikCore
import AtomikCycle
import AtomikISA

/// Directed stimulus that aims at bins still missed: one short burst per bin
/// (a reset for after-reset and first-touch bins, a preceding operation and an
/// idle gap for the distance bins), so closure takes few cycles.
public enum CoverageClosure {
    static func address(_ c: Coverage.ContextClass, contexts: Int) -> Int {
        switch c {
        case .first: 0
        case .last: contexts - 1
        case .other: 1
        }
    }

    static func value(_ d: Coverage.DataClass, width: Int) -> Word {
        switch d {
        case .zero, .none: return .zero
        case .allOnes: return Word.mask(width: width)
        case .msbOnly:
            var l = SIMD8<UInt64>(repeating: 0)
            l[(width - 1) >> 6] = 1 << UInt64((width - 1) & 63)
            return Word(limbs: l)
        case .singleBit: return Word(1)
        case .other: return Word(3)
        }
    }

    static func operation(_ kind: Coverage.Kind, _ addr: Int, _ v: Word) -> Instruction {
        switch kind {
        case .load: .load(addr, v)
        case .accum: .accum(addr, v)
        case .read: .read(addr)
        case .swapKeep: .swap(addr)
        case .swapValue: .swap(addr, v)
        }
    }

    /// Items that hit each of `bins` and `events` (on a unit in any state).
    public static func items(for bins: [Coverage.Bin], events: [Coverage.Event], parameters p: UnitParameters) -> [ProgramItem] {
        var items: [ProgramItem] = []
        func op(_ bin: Coverage.Bin, _ addr: Int) -> ProgramItem {
            .op(operation(bin.kind, addr, value(bin.data, width: p.width)))
        }
        // First touches that are not the first operation share resets: after
        // one starter operation, each context class's untouched addresses
        // each take one bin.
        var firstTouches = bins.filter { $0.distance == .none && !$0.afterReset }
        while !firstTouches.isEmpty {
            var fresh: [Coverage.ContextClass: [Int]] = [.first: [0]]
            if p.contexts > 1 { fresh[.last] = [p.contexts - 1] }
            if p.contexts > 2 { fresh[.other] = Array(1...(p.contexts - 2)) }
            let busy = Set(firstTouches.map(\.context))
            let starterClass = fresh.keys.sorted { $0.rawValue < $1.rawValue }.first { !busy.contains($0) }
                ?? (fresh[.other].map { $0.count > 1 } == true ? .other : firstTouches[0].context == .first ? .last : .first)
            let starter = fresh[starterClass]!.removeLast()
            items += [.reset(1), .op(.read(starter))]
            var rest: [Coverage.Bin] = []
            for bin in firstTouches {
                if let addr = fresh[bin.context]?.popLast() { items.append(op(bin, addr)) } else { rest.append(bin) }
            }
            if rest.count == firstTouches.count { break }
            firstTouches = rest
        }
        for bin in bins where !(bin.distance == .none && !bin.afterReset) {
            let addr = address(bin.context, contexts: p.contexts)
            if bin.afterReset {
                items += [.reset(1), op(bin, addr)]
            } else {
                let gap = ["0": 0, "1": 1, "2": 2, "3+": 3][bin.distance.rawValue]!
                items.append(.op(.read(addr)))
                if gap > 0 { items.append(.idle(gap)) }
                items.append(op(bin, addr))
            }
        }
        for event in events {
            switch event {
            case .resultHeld, .doneDrops: items += [.op(.read(0)), .idle(1)]
            case .backToBackResults: items += [.op(.read(0)), .op(.read(0))]
            case .stalledBySweep, .acceptedAtSweepEnd: items += [.reset(1), .op(.read(0))]
            // A READ ends a bundle: the ACCUMs after it go in one cycle, lane j on context j mod C.
            case .fullBundle: items += [.op(.read(0))] + (0..<p.lanes).map { .op(.accum($0 % p.contexts, Word(1))) } + [.op(.read(0))]
            // Lanes 0 and 1 on context 0, then its READ, which lane 1's copy forwards to.
            case .lanesShareContext, .readsLaneWrite:
                items += [.op(.read(0)), .op(.accum(0, Word(1))), .op(.accum(0, Word(2))), .op(.read(0))]
            }
        }
        return items
    }
}
