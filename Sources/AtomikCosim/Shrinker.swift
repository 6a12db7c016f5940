import AtomikCore
import AtomikISA

/// Reduces a failing program to a small one that still fails: drops runs of
/// items (delta debugging), then simplifies what is left one item at a time
/// (idle gaps and resets to one cycle, values to zero or one bit, SWAP with a
/// value to SWAP-keep, addresses to 0), keeping each change only if the
/// program still fails.
public enum Shrinker {
    /// `fails` runs a candidate; at most `budget` candidates are tried.
    public static func shrink(_ program: [ProgramItem], budget: Int = 3000,
                              fails: ([ProgramItem]) throws -> Bool) throws -> [ProgramItem] {
        var items = program
        var tries = 0
        func attempt(_ candidate: [ProgramItem]) throws -> Bool {
            guard tries < budget else { return false }
            tries += 1
            return try fails(candidate)
        }

        // Delta debugging over runs of items.
        var granularity = 2
        while items.count >= 2 && tries < budget {
            let chunk = (items.count + granularity - 1) / granularity
            var removed = false
            var start = 0
            while start < items.count {
                var candidate = items
                candidate.removeSubrange(start..<min(start + chunk, items.count))
                if try attempt(candidate) {
                    items = candidate
                    removed = true
                } else {
                    start += chunk
                }
            }
            if removed { granularity = max(granularity - 1, 2); continue }
            if chunk == 1 { break }
            granularity = min(granularity * 2, items.count)
        }

        // Simplify each remaining item.
        var k = 0
        while k < items.count && tries < budget {
            for simpler in simplifications(of: items[k]) {
                var candidate = items
                candidate[k] = simpler
                if try attempt(candidate) { items = candidate; break }
            }
            k += 1
        }
        return items
    }

    /// Simpler versions of one item, simplest first.
    static func simplifications(of item: ProgramItem) -> [ProgramItem] {
        switch item {
        case .idle(let n): return n > 1 ? [.idle(1)] : []
        case .reset(let n): return n > 1 ? [.reset(1)] : []
        case .op(let inst):
            var out: [ProgramItem] = []
            if inst.opcode == .swap && !inst.keep { out.append(.op(.swap(inst.address))) }
            if inst.hasData && !inst.data.isZero {
                var zero = inst; zero.data = .zero; out.append(.op(zero))
                let low = lowestBit(inst.data)
                if low != inst.data { var one = inst; one.data = low; out.append(.op(one)) }
            }
            if inst.address != 0 { var a = inst; a.address = 0; out.append(.op(a)) }
            return out
        }
    }

    static func lowestBit(_ w: Word) -> Word {
        for k in 0..<8 where w.limbs[k] != 0 {
            var l = SIMD8<UInt64>(repeating: 0)
            l[k] = w.limbs[k] & (0 &- w.limbs[k])
            return Word(limbs: l)
        }
        return .zero
    }
}
