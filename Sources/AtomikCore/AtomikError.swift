/// Errors of the software core. Each says what was wrong and what was expected.
public enum AtomikError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidWidth(Int, allowed: ClosedRange<Int>)
    case invalidContextCount(Int, allowed: ClosedRange<Int>)
    case addressOutOfRange(Int, contexts: Int)
    case messageLength(Int)
    case messageFieldTooWide(field: String, bits: Int, value: String)
    case fingerprintWidth(Int)

    public var description: String {
        switch self {
        case let .invalidWidth(w, allowed):
            return "width \(w) is not supported: expected \(allowed.lowerBound)...\(allowed.upperBound)"
        case let .invalidContextCount(c, allowed):
            return "context count \(c) is not supported: expected \(allowed.lowerBound)...\(allowed.upperBound)"
        case let .addressOutOfRange(a, n):
            return "address \(a) out of range [0, \(n - 1)]"
        case let .messageLength(n):
            return "a DeltaMessage is exactly \(DeltaMessage.wireSize) bytes, got \(n)"
        case let .messageFieldTooWide(field, bits, value):
            return "DeltaMessage \(field) \(value) does not fit in \(bits) bits"
        case let .fingerprintWidth(w):
            return "fingerprint width \(w) is not supported: expected a multiple of 8 in 8...\(Word.maxBits)"
        }
    }
}
