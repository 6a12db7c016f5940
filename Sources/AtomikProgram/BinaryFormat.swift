import AtomikCore
import AtomikISA

/// The compact binary program format for long streams.
///
/// An 8-byte magic `ATMKPRG1`, then one record per item:
/// - a tag byte: bits 1:0 opcode, bit 2 keep (SWAP-keep), bit 3 idle, bits 7:4 zero;
///   idle with keep set (0x0C) is a reset;
/// - idle and reset: the cycle count as an unsigned LEB128;
/// - operation: the address as an unsigned LEB128, then, when the operation
///   has data, a byte count n (0...64) and n bytes of the value, little-endian.
/// A 64-bit ACCUM to a small address takes 3 to 11 bytes.
public enum BinaryFormat {
    public static let magic: [UInt8] = Array("ATMKPRG1".utf8)

    static let keepBit: UInt8 = 1 << 2
    static let idleBit: UInt8 = 1 << 3

    /// Appends the record of one item.
    public static func encode(_ item: ProgramItem, into out: inout [UInt8]) {
        switch item {
        case .idle(let n):
            out.append(idleBit)
            appendLEB(UInt64(n), to: &out)
        case .reset(let n):
            out.append(idleBit | keepBit)
            appendLEB(UInt64(n), to: &out)
        case .op(let inst):
            out.append(inst.opcode.rawValue | (inst.opcode == .swap && inst.keep ? keepBit : 0))
            appendLEB(UInt64(inst.address), to: &out)
            if inst.hasData {
                let n = (inst.data.bitLength + 7) / 8
                out.append(UInt8(n))
                for k in 0..<n { out.append(UInt8(truncatingIfNeeded: inst.data.limbs[k >> 3] >> UInt64((k & 7) * 8))) }
            }
        }
    }

    static func appendLEB(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        repeat {
            let b = UInt8(v & 0x7F)
            v >>= 7
            out.append(v == 0 ? b : b | 0x80)
        } while v != 0
    }

    /// Decodes the next record from `reader`, or nil at a clean end of input.
    static func decode(from reader: ByteReader, options: ProgramOptions) throws(ProgramError) -> ProgramItem? {
        let recordOffset = reader.offset
        func fail(_ message: String) -> ProgramError {
            ProgramError(message, at: SourceLocation(file: reader.name, byteOffset: recordOffset))
        }
        func byte(_ what: String) throws(ProgramError) -> UInt8 {
            do {
                guard let b = try reader.nextByte() else { throw fail("stream ends inside a record: expected \(what)") }
                return b
            } catch let e as ProgramError { throw e } catch { throw fail("\(error)") }
        }
        func leb(_ what: String) throws(ProgramError) -> UInt64 {
            var v: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                let b = try byte(what)
                if shift == 63 && b & 0x7E != 0 { throw fail("\(what) is longer than 64 bits") }
                v |= UInt64(b & 0x7F) << UInt64(shift)
                if b & 0x80 == 0 { return v }
            }
            throw fail("\(what) is longer than 64 bits")
        }
        let tag: UInt8
        do {
            guard let t = try reader.nextByte() else { return nil }
            tag = t
        } catch let e as ProgramError { throw e } catch { throw fail("\(error)") }
        guard tag & 0xF0 == 0 else { throw fail("bad record tag 0x\(String(tag, radix: 16)): expected bits 7:4 zero") }
        if tag & idleBit != 0 {
            guard tag == idleBit || tag == idleBit | keepBit else {
                throw fail("bad record tag 0x\(String(tag, radix: 16)): expected 0x08 (idle) or 0x0c (reset)")
            }
            let n = try leb("a cycle count")
            guard (1...UInt64(TextFormat.maxCycleCount)).contains(n) else {
                throw fail("cycle count \(n) outside 1...\(TextFormat.maxCycleCount)")
            }
            return tag == idleBit ? .idle(Int(n)) : .reset(Int(n))
        }
        let opcode = Opcode(rawValue: tag & 3)!
        let keep = tag & keepBit != 0
        guard !keep || opcode == .swap else { throw fail("keep bit set on \(opcode.mnemonic): only SWAP has it") }
        let addr = try leb("an address")
        guard addr < UInt64(options.contexts) else {
            throw fail("address \(addr) out of range [0, \(options.contexts - 1)] (--contexts \(options.contexts))")
        }
        var inst = Instruction(opcode: opcode, address: Int(addr), keep: keep)
        if inst.hasData {
            let n = Int(try byte("a value length"))
            guard n <= 64 else { throw fail("value length \(n) bytes: expected at most 64") }
            var limbs = SIMD8<UInt64>(repeating: 0)
            for k in 0..<n { limbs[k >> 3] |= UInt64(try byte("value bytes")) << UInt64((k & 7) * 8) }
            switch options.operand(NumberLiteral(value: Word(limbs: limbs), exceeds512: false)) {
            case .success(let v): inst.data = v
            case .failure(let e): throw fail(e.message)
            }
        }
        return .op(inst)
    }
}
