import AtomikCore

/// What a program is read against: the design's width and table size, and
/// whether an over-wide value is masked (atomik-core's behaviour) or an error.
public struct ProgramOptions: Hashable, Sendable {
    public static let widthRange = 1...Word.maxBits

    public var width: Int
    public var contexts: Int
    public var strict: Bool

    public init(width: Int = 64, contexts: Int = 256, strict: Bool = false) {
        self.width = width; self.contexts = contexts; self.strict = strict
    }

    /// Checks an operand: masks it to the width, or rejects it under `strict`.
    func operand(_ literal: NumberLiteral) -> Result<Word, ProgramError> {
        if literal.isWider(than: width) && strict {
            if literal.negative {
                return .failure(ProgramError("a negative value wraps to two's complement, which --strict refuses "
                                             + "(a value is 0 to 2^\(width) - 1)"))
            }
            let shown = literal.exceeds512 ? "value" : "value \(literal.value)"
            return .failure(ProgramError("\(shown) is wider than \(width) bits (--strict)"))
        }
        return .success(literal.value & Word.mask(width: width))
    }

    /// Checks an address against the table size.
    func address(_ literal: NumberLiteral) -> Result<Int, ProgramError> {
        guard !literal.exceeds512, literal.value.bitLength <= 62, Int(literal.value.low64) < contexts else {
            let shown = literal.exceeds512 ? "(negative or over 512 bits)"
                : literal.value.bitLength <= 64 ? String(literal.value.low64) : literal.value.description
            return .failure(ProgramError("address \(shown) out of range [0, \(contexts - 1)] (--contexts \(contexts))"))
        }
        return .success(Int(literal.value.low64))
    }
}
