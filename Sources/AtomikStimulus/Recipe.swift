import AtomikCore
import AtomikISA

/// Named workloads for co-simulation and test vectors. Each is a seedable
/// stream of program items: the same recipe, design point, length and seed
/// give the same stream everywhere.
public enum Recipe: String, CaseIterable, Sendable {
    /// Every operation equally, random contexts and values, a few idle cycles.
    case uniform
    /// Chains of operations on one context at distances 0..3 cycles.
    case hazard
    /// Operations separated by idle gaps of 1..20 cycles.
    case idle
    /// Uniform traffic with a reset every few hundred items.
    case reset
    /// Mostly SWAPs, keep and with-value, on a few contexts.
    case swapStorm = "swap-storm"
    /// Seed pattern 1: four producers' deltas fan in to one context.
    case fanIn = "fan-in"
    /// Seed pattern 1 over a table: many producers' deltas fan in to every
    /// context, in runs of ACCUMs each closed by one consumer's READ.
    case fanInTable = "fan-in-table"
    /// Seed pattern 2: epochs of ACCUMs closed by SWAP checkpoints.
    case epoch
    /// Seed pattern 4: edits, then undos that re-apply deltas.
    case rollback
    /// Seed pattern 5: nodes (contexts) that apply the same deltas in different orders.
    case convergence

    public var summary: String {
        switch self {
        case .uniform: "every operation equally, random contexts and values, some idle cycles"
        case .hazard: "chains on one context at distances 0..3 cycles"
        case .idle: "operations separated by idle gaps of 1..20 cycles"
        case .reset: "uniform traffic with resets in the middle"
        case .swapStorm: "mostly SWAP-keep and SWAP-with-value on a few contexts"
        case .fanIn: "four producers' deltas fan in to one context (seed pattern)"
        case .fanInTable: "producers' deltas fan in to the whole table: runs of 1..511 ACCUMs on random contexts, each closed by a READ"
        case .epoch: "epochs of ACCUMs closed by SWAP checkpoints (seed pattern)"
        case .rollback: "edits then undos by re-applying deltas (seed pattern)"
        case .convergence: "contexts as nodes applying one delta set in different orders (seed pattern)"
        }
    }

    /// `length` items of this recipe for a design of `width` bits and `contexts` contexts.
    public func items(width: Int, contexts: Int, length: Int, seed: UInt64) -> RecipeStream {
        RecipeStream(recipe: self, width: width, contexts: contexts, length: length, seed: seed)
    }
}

/// The items of a recipe, generated lazily in bounded memory.
public struct RecipeStream: Sequence, IteratorProtocol {
    public let recipe: Recipe
    let width: Int
    let contexts: Int
    @usableFromInline var remaining: Int
    var rng: StimulusRandom
    @usableFromInline var uniform: RandomProgram
    /// `Word.mask(width:)`, made once.
    let valueMask: Word
    /// The burst being handed out, from `head` on.
    @usableFromInline var queue: [ProgramItem] = []
    @usableFromInline var head = 0

    init(recipe: Recipe, width: Int, contexts: Int, length: Int, seed: UInt64) {
        self.recipe = recipe; self.width = width; self.contexts = contexts; remaining = length
        rng = StimulusRandom(seed: seed, name: recipe.rawValue)
        uniform = RandomProgram(width: width, contexts: contexts, count: Int.max, seed: seed)
        valueMask = Word.mask(width: width)
    }

    /// Inlined, so that the item is built where it is used (copying it out of
    /// each call costs more than making it).
    @inlinable @inline(__always) public mutating func next() -> ProgramItem? {
        guard remaining > 0 else { return nil }
        if recipe == .uniform {
            // One item a burst: no queue.
            remaining -= 1
            return uniform.next()
        }
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
            refill()
        }
        remaining -= 1
        head += 1
        return queue[head - 1]
    }

    mutating func context() -> Int { Int(rng.below(UInt64(contexts))) }
    mutating func value() -> Word { rng.word(bits: width, mask: valueMask) }

    /// Appends the next burst of the recipe to the queue.
    @usableFromInline mutating func refill() {
        switch recipe {
        case .uniform:
            preconditionFailure("next() hands out the uniform recipe's items directly")
        case .hazard:
            let c = context()
            for _ in 0..<(2 + rng.below(5)) {
                queue.append(.op(uniform.operation(on: c)))
                // A gap of 0..3 cycles: idle, or operations on other contexts.
                let gap = Int(rng.below(4))
                if gap > 0 && (contexts == 1 || rng.below(2) == 0) {
                    queue.append(.idle(gap))
                } else {
                    for _ in 0..<gap {
                        let other = (c + 1 + Int(rng.below(UInt64(contexts - 1)))) % contexts
                        queue.append(.op(uniform.operation(on: other)))
                    }
                }
            }
        case .idle:
            queue.append(.op(uniform.operation(on: context())))
            queue.append(.idle(1 + Int(rng.below(20))))
        case .reset:
            if rng.below(200) == 0 { queue.append(.reset(1 + Int(rng.below(3)))) }
            queue.append(uniform.next()!)
        case .swapStorm:
            let c = Int(rng.below(UInt64(Swift.min(contexts, 4))))
            switch rng.below(6) {
            case 0: queue.append(.op(.accum(c, value())))
            case 1, 2: queue.append(.op(.swap(c)))
            default: queue.append(.op(.swap(c, value())))
            }
        case .fanIn:
            // Producer i contributes 0xFF << 8i (wrapping within the width), in a random order.
            let c = context(), bytes = Swift.max(1, width / 8)
            queue.append(.op(.load(c, rng.below(2) == 0 ? .zero : value())))
            var deltas: [Word] = (0..<4).map { i in shifted(Word(0xFF), by: (i % bytes) * 8) & Word.mask(width: width) }
            for k in deltas.indices.reversed() { deltas.swapAt(k, Int(rng.below(UInt64(k + 1)))) }
            for d in deltas { queue.append(.op(.accum(c, d))) }
            queue.append(.op(.read(c)))
        case .fanInTable:
            for _ in 0..<(1 + rng.below(511)) { queue.append(.op(.accum(context(), value()))) }
            queue.append(.op(.read(context())))
        case .epoch:
            let c = context()
            queue.append(.op(.load(c, value())))
            for _ in 0..<(1 + rng.below(3)) {
                for _ in 0..<(1 + rng.below(4)) { queue.append(.op(.accum(c, value()))) }
                queue.append(.op(.swap(c)))
                queue.append(.op(.read(c)))
            }
        case .rollback:
            let c = context()
            queue.append(.op(.load(c, value())))
            let edits = (0..<(1 + Int(rng.below(4)))).map { _ in value() }
            for e in edits { queue.append(.op(.accum(c, e))) }
            for e in edits.reversed().prefix(Int(rng.below(UInt64(edits.count + 1)))) { queue.append(.op(.accum(c, e))) }
            queue.append(.op(.read(c)))
        case .convergence:
            let nodes = Array(Set((0..<Swift.min(contexts, 3)).map { _ in context() })).sorted()
            let start = value()
            for n in nodes { queue.append(.op(.load(n, start))) }
            let deltas = (0..<(2 + Int(rng.below(3)))).map { _ in value() }
            for n in nodes {
                var order = deltas
                for k in order.indices.reversed() { order.swapAt(k, Int(rng.below(UInt64(k + 1)))) }
                for d in order { queue.append(.op(.accum(n, d))) }
            }
            for n in nodes { queue.append(.op(.read(n))) }
        }
    }

    func shifted(_ w: Word, by bits: Int) -> Word {
        var l = SIMD8<UInt64>(repeating: 0)
        l[bits >> 6] = w.low64 << UInt64(bits & 63)
        return Word(limbs: l)
    }
}
