import AtomikCore
import AtomikISA

/// The program text format, one item a line:
///
///     # comment (also ; to end of line)
///     load  ADDR, VALUE
///     accum ADDR, DELTA
///     read  ADDR
///     swap  ADDR            # new reference = current state
///     swap  ADDR, VALUE     # new reference = VALUE (0 is a real value)
///     nop   [COUNT]         # idle cycle(s), COUNT >= 1
///     reset [COUNT]         # reset held for COUNT cycles (default 1): clears every context
///
/// Mnemonics in any case; numbers decimal or 0x-hex with `_` separators.
public enum TextFormat {
    /// The largest count of `nop` and `reset`.
    public static let maxCycleCount = 1 << 40 - 1

    /// Parses one line; nil for a blank or comment line. `line` is 1-based.
    public static func parse(
        line bytes: UnsafeBufferPointer<UInt8>, number line: Int, file: String, options: ProgramOptions
    ) throws(ProgramError) -> ProgramItem? {
        var p = LineParser(bytes: bytes, line: line, file: file)
        p.skipSpace()
        if p.atEnd { return nil }
        let mnemonicColumn = p.column
        let mnemonic = p.word()
        guard !mnemonic.isEmpty else { throw p.error("expected a mnemonic (load, accum, read, swap, nop or reset)") }
        if !p.atEnd && !p.atSpace {
            throw p.error("expected a space after '\(mnemonic)'")
        }
        let item: ProgramItem
        if mnemonic == "nop" || mnemonic == "reset" {
            p.skipSpace()
            var count = 1
            if !p.atEnd {
                let (literal, column) = try p.number(what: "a cycle count")
                guard !literal.exceeds512, literal.value.bitLength <= 40, literal.value.low64 >= 1 else {
                    throw p.error("expected a cycle count in 1...\(maxCycleCount)", column: column)
                }
                count = Int(literal.value.low64)
            }
            item = mnemonic == "nop" ? .idle(count) : .reset(count)
        } else {
            guard let opcode = Opcode(mnemonic: mnemonic) else {
                throw p.error("unknown mnemonic '\(mnemonic)': expected load, accum, read, swap, nop or reset",
                              column: mnemonicColumn)
            }
            p.skipSpace()
            let (addrLiteral, addrColumn) = try p.number(what: "an address")
            let address: Int
            switch options.address(addrLiteral) {
            case .success(let a): address = a
            case .failure(let e): throw p.error(e.message, column: addrColumn)
            }
            p.skipSpace()
            var data: Word? = nil
            if !p.atEnd {
                guard p.peek == UInt8(ascii: ",") else { throw p.error("expected ',' or end of line") }
                guard opcode != .read else { throw p.error("'read' takes an address only") }
                p.advance()
                p.skipSpace()
                let (valueLiteral, valueColumn) = try p.number(what: "a value")
                switch options.operand(valueLiteral) {
                case .success(let v): data = v
                case .failure(let e): throw p.error(e.message, column: valueColumn)
                }
                p.skipSpace()
            } else if opcode == .load || opcode == .accum {
                throw p.error("'\(opcode.mnemonic)' takes an address and a value: expected ', VALUE'")
            }
            switch opcode {
            case .load, .accum, .read: item = .op(Instruction(opcode: opcode, address: address, data: data ?? .zero))
            case .swap: item = .op(.swap(address, data))
            }
        }
        p.skipSpace()
        guard p.atEnd else { throw p.error("unexpected text after the instruction") }
        return item
    }

    /// The canonical text of an item (what the disassembler writes).
    public static func format(_ item: ProgramItem) -> String {
        var b = [UInt8]()
        append(item, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// Appends the canonical text of an item (no newline).
    public static func append(_ item: ProgramItem, to b: inout [UInt8]) {
        let start = b.count
        b.append(contentsOf: repeatElement(0, count: maxItemBytes))
        let n = b.withUnsafeMutableBufferPointer { write(item, at: $0.baseAddress! + start) }
        b.removeLast(maxItemBytes - n)
    }

    /// Appends the items' lines, each with its newline (one buffer resize for them all).
    public static func append(lines items: UnsafeBufferPointer<ProgramItem>, to b: inout [UInt8]) {
        let start = b.count
        b.append(contentsOf: repeatElement(0, count: items.count * (maxItemBytes + 1)))
        let n = b.withUnsafeMutableBufferPointer { out in
            var p = out.baseAddress! + start
            for item in items {
                p += write(item, at: p)
                p.pointee = 0x0A
                p += 1
            }
            return p - (out.baseAddress! + start)
        }
        b.removeLast(items.count * (maxItemBytes + 1) - n)
    }

    /// The most bytes `write` writes for one item: "accum", an address of up
    /// to 20 digits and a 512-bit value in hex.
    public static let maxItemBytes = 6 + 20 + 4 + 128

    /// Writes an item's line (no newline) at `p`; returns the bytes written.
    @inline(__always)
    static func write(_ item: ProgramItem, at p: UnsafeMutablePointer<UInt8>) -> Int {
        func word(_ s: StaticString, at q: UnsafeMutablePointer<UInt8>) -> Int {
            q.update(from: s.utf8Start, count: s.utf8CodeUnitCount)
            return s.utf8CodeUnitCount
        }
        var n = 0
        switch item {
        case .idle(let count), .reset(let count):
            if case .idle = item { n = word("nop", at: p) } else { n = word("reset", at: p) }
            if count != 1 { p[n] = 0x20; n += 1 + ResultFormat.writeDecimal(count, at: p + n + 1) }
        case .op(let inst):
            n = word(inst.opcode.mnemonicText, at: p)
            p[n] = 0x20
            n += 1
            n += ResultFormat.writeDecimal(inst.address, at: p + n)
            if inst.hasData {
                n += word(", 0x", at: p + n)
                let digits = Word.hexDigits(width: inst.data.bitLength)
                Word.writeHex(inst.data.limbs, digits: digits, into: p + n)
                n += digits
            }
        }
        return n
    }
}

/// A cursor over one line of program text.
struct LineParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let line: Int
    let file: String
    var i = 0

    var column: Int { i + 1 }
    var peek: UInt8 { bytes[i] }
    var atEnd: Bool { i >= bytes.count || bytes[i] == UInt8(ascii: "#") || bytes[i] == UInt8(ascii: ";") }
    var atSpace: Bool { i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) }

    mutating func advance() { i += 1 }
    mutating func skipSpace() { while atSpace { i += 1 } }

    /// A run of letters, lower-cased.
    mutating func word() -> String {
        var s = ""
        while i < bytes.count, case let b = bytes[i] | 0x20, b >= UInt8(ascii: "a"), b <= UInt8(ascii: "z") {
            s.unicodeScalars.append(Unicode.Scalar(b)); i += 1
        }
        return s
    }

    /// A number token and its column.
    mutating func number(what: String = "a number") throws(ProgramError) -> (NumberLiteral, Int) {
        let begin = i
        while i < bytes.count, !atSpace, !atEnd, bytes[i] != UInt8(ascii: ",") { i += 1 }
        guard i > begin else { throw error("expected \(what)", column: begin + 1) }
        switch NumberLiteral.parse(UnsafeBufferPointer(rebasing: bytes[begin..<i])) {
        case .success(let n): return (n, begin + 1)
        case .failure(let e): throw error(e.message, column: begin + 1)
        }
    }

    func error(_ message: String, column: Int? = nil) -> ProgramError {
        ProgramError(message, at: SourceLocation(file: file, line: line, column: column ?? self.column))
    }
}
