import AtomikCore

/// The layout of the instruction word for a design point: fields packed from
/// bit 0 upwards as data, address, keep, opcode.
///
/// `width = 64, contexts = 256` gives data [63:0], addr [71:64], keep [72],
/// opcode [74:73]: a 75-bit word. The address field is at least one bit wide
/// (a table of one context still has an address port).
public struct InstructionFormat: Hashable, Sendable {
    /// One named field of the instruction word.
    public struct Field: Hashable, Sendable {
        public let name: String
        public let lsb: Int
        public let width: Int
        public var msb: Int { lsb + width - 1 }
    }

    public let width: Int
    public let contexts: Int
    public let addressBits: Int

    public init(width: Int, contexts: Int) {
        self.width = width
        self.contexts = contexts
        addressBits = Self.addressBits(contexts: contexts)
    }

    /// ceil(log2(contexts)), at least 1.
    public static func addressBits(contexts: Int) -> Int {
        max(1, Int.bitWidth - (contexts - 1).leadingZeroBitCount)
    }

    public static let opcodeBits = 2
    public static let keepBits = 1

    /// The fields, least significant first.
    public var fields: [Field] {
        [
            Field(name: "data", lsb: 0, width: width),
            Field(name: "addr", lsb: width, width: addressBits),
            Field(name: "keep", lsb: width + addressBits, width: Self.keepBits),
            Field(name: "opcode", lsb: width + addressBits + Self.keepBits, width: Self.opcodeBits),
        ]
    }

    /// Total bits of the instruction word.
    public var wordBits: Int { width + addressBits + Self.keepBits + Self.opcodeBits }

    /// The instruction word as bits, least significant first (`wordBits` of them).
    public func encode(_ inst: Instruction) -> [Bool] {
        var bits = [Bool](repeating: false, count: wordBits)
        for i in 0..<width { bits[i] = inst.data.bit(i) }
        for i in 0..<addressBits { bits[width + i] = (inst.address >> i) & 1 == 1 }
        bits[width + addressBits] = inst.keep
        bits[width + addressBits + 1] = inst.opcode.rawValue & 1 == 1
        bits[width + addressBits + 2] = inst.opcode.rawValue & 2 == 2
        return bits
    }

    /// Decodes an instruction word given as bits, least significant first.
    public func decode(_ bits: [Bool]) -> Instruction {
        precondition(bits.count == wordBits)
        var limbs = SIMD8<UInt64>(repeating: 0)
        for i in 0..<width where bits[i] { limbs[i >> 6] |= 1 << UInt64(i & 63) }
        var addr = 0
        for i in 0..<addressBits where bits[width + i] { addr |= 1 << i }
        let op = Opcode(rawValue: (bits[wordBits - 1] ? 2 : 0) | (bits[wordBits - 2] ? 1 : 0))!
        return Instruction(opcode: op, address: addr, data: Word(limbs: limbs), keep: bits[width + addressBits])
    }
}
