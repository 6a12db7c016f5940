import AtomikCore
import AtomikISA

/// The result of one READ or SWAP: which operation produced it and the value.
public struct OperationResult: Hashable, Sendable {
    /// 0-based index of the operation in the program, counting every
    /// LOAD, ACCUM, READ and SWAP and no idle cycle.
    public var index: Int
    public var opcode: Opcode
    public var address: Int
    public var value: Word

    public init(index: Int, opcode: Opcode, address: Int, value: Word) {
        self.index = index; self.opcode = opcode; self.address = address; self.value = value
    }

    /// Inlinable, so that co-simulation compares results in its loop (the derived one is a call per result).
    @inlinable public static func == (a: OperationResult, b: OperationResult) -> Bool {
        a.index == b.index && a.address == b.address && a.opcode == b.opcode && a.value == b.value
    }
}

/// The text every engine prints, so that outputs compare byte for byte:
///
///     INDEX MNEMONIC ADDR 0xVALUE        one line per READ or SWAP, in program order
///     final ADDR 0xVALUE                 with --final: each non-zero state, by address
///
/// INDEX and ADDR are decimal; VALUE is lower-case hex zero-padded to
/// ceil(W/4) digits.
public enum ResultFormat {
    public static func append(_ r: OperationResult, width: Int, to out: inout [UInt8]) {
        appendDecimal(r.index, to: &out)
        out.append(0x20)
        out.append(contentsOf: r.opcode.mnemonic.utf8)
        out.append(0x20)
        appendDecimal(r.address, to: &out)
        out.append(contentsOf: " 0x".utf8)
        r.value.appendHex(to: &out, digits: Word.hexDigits(width: width))
        out.append(0x0A)
    }

    public static func appendFinal(address: Int, state: Word, width: Int, to out: inout [UInt8]) {
        out.append(contentsOf: "final ".utf8)
        appendDecimal(address, to: &out)
        out.append(contentsOf: " 0x".utf8)
        state.appendHex(to: &out, digits: Word.hexDigits(width: width))
        out.append(0x0A)
    }

    public static func line(_ r: OperationResult, width: Int) -> String {
        var out = [UInt8]()
        append(r, width: width, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes a non-negative integer's decimal digits at `p`; returns how many.
    @inline(__always) public static func writeDecimal(_ value: Int, at p: UnsafeMutablePointer<UInt8>) -> Int {
        precondition(value >= 0)
        var count = 1, rest = value / 10
        while rest > 0 { count += 1; rest /= 10 }
        var v = value
        for k in stride(from: count - 1, through: 0, by: -1) { p[k] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 }
        return count
    }

    @inline(__always) public static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 { out.append(UInt8(ascii: "0") + UInt8(value)); return }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // room for the 19 digits of Int.max
        let n = withUnsafeMutableBytes(of: &digits) { writeDecimal(value, at: $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        withUnsafeBytes(of: &digits) { out.append(contentsOf: $0.prefix(n)) }
    }
}
