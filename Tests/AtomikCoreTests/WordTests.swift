import AtomikCore
import Testing

@Suite("Word")
struct WordTests {
    static func limbs(_ values: [Int: UInt64]) -> Word {
        var l = SIMD8<UInt64>(repeating: 0)
        for (i, v) in values { l[i] = v }
        return Word(limbs: l)
    }

    @Test("mask(width:) is 2^width - 1")
    func mask() {
        #expect(Word.mask(width: 0) == .zero)
        #expect(Word.mask(width: 1) == Word(1))
        #expect(Word.mask(width: 8) == Word(0xFF))
        #expect(Word.mask(width: 63) == Word(UInt64.max >> 1))
        #expect(Word.mask(width: 64) == Word(UInt64.max))
        #expect(Word.mask(width: 65) == Self.limbs([0: .max, 1: 1]))
        #expect(Word.mask(width: 128) == Self.limbs([0: .max, 1: .max]))
        #expect(Word.mask(width: 200) == Self.limbs([0: .max, 1: .max, 2: .max, 3: 0xFF]))
        #expect(Word.mask(width: 512).limbs == SIMD8<UInt64>(repeating: .max))
        for w in 0...512 {
            let m = Word.mask(width: w)
            #expect(m.bitLength == w)
            #expect((0..<512).allSatisfy { m.bit($0) == ($0 < w) }, "width \(w)")
        }
    }

    @Test("UInt64.mask(width:) matches Word.mask for 1...64")
    func uint64Mask() {
        for w in 1...64 { #expect(UInt64.mask(width: w) == Word.mask(width: w).low64, "width \(w)") }
    }

    @Test("bitLength")
    func bitLength() {
        #expect(Word.zero.bitLength == 0)
        #expect(Word(1).bitLength == 1)
        #expect(Word(0xFF).bitLength == 8)
        #expect(Word(1 << 63).bitLength == 64)
        #expect(Self.limbs([1: 1]).bitLength == 65)
        #expect(Self.limbs([0: 5, 7: 1 << 63]).bitLength == 512)
        #expect(Self.limbs([3: 2]).bitLength == 3 * 64 + 2)
    }

    @Test("hex(digits:) is lower case, zero-padded, never truncated")
    func hex() {
        #expect(Word.zero.hex() == "0")
        #expect(Word.zero.hex(digits: 4) == "0000")
        #expect(Word(0xAB).hex() == "ab")
        #expect(Word(0xAB).hex(digits: 4) == "00ab")
        #expect(Word(0xABCD).hex(digits: 2) == "abcd")
        #expect(Word(0xCAFE_BABE).description == "0xcafebabe")
        #expect(Word(UInt64.max).hex() == String(repeating: "f", count: 16))
        #expect(Self.limbs([1: 1]).hex() == "1" + String(repeating: "0", count: 16))
        #expect(Word.mask(width: 512).hex() == String(repeating: "f", count: 128))
        #expect(Word.mask(width: 512).hex(digits: 130) == "00" + String(repeating: "f", count: 128))
        #expect(Word.mask(width: 13).hex(digits: Word.hexDigits(width: 13)) == "1fff")
        #expect(Word.hexDigits(width: 1) == 1)
        #expect(Word.hexDigits(width: 4) == 1)
        #expect(Word.hexDigits(width: 5) == 2)
        #expect(Word.hexDigits(width: 64) == 16)
        #expect(Word.hexDigits(width: 65) == 17)
        #expect(Word.hexDigits(width: 512) == 128)
        var out: [UInt8] = Array("x=".utf8)
        Word(0x1F).appendHex(to: &out, digits: 3)
        #expect(String(decoding: out, as: UTF8.self) == "x=01f")
    }

    @Test("bitwise operators work on all limbs")
    func bitwise() {
        let a = Self.limbs([0: 0xF0, 5: 0xFF00])
        let b = Self.limbs([0: 0x3C, 5: 0x0FF0])
        #expect(a ^ b == Self.limbs([0: 0xCC, 5: 0xF0F0]))
        #expect(a & b == Self.limbs([0: 0x30, 5: 0x0F00]))
        #expect(a | b == Self.limbs([0: 0xFC, 5: 0xFFF0]))
        #expect(~Word.zero == Word.mask(width: 512))
        var c = a
        c ^= a
        #expect(c.isZero)
    }

    @Test("bigEndianBytes gives the low bytes, most significant first")
    func bigEndianBytes() {
        #expect(Word(0x0102_0304).bigEndianBytes(count: 4) == [1, 2, 3, 4])
        #expect(Word(0x0102_0304).bigEndianBytes(count: 2) == [3, 4])
        #expect(Self.limbs([0: 0x0807_0605_0403_0201, 1: 0x09]).bigEndianBytes(count: 9) == [9, 8, 7, 6, 5, 4, 3, 2, 1])
    }
}

@Suite("Messages, streams and fingerprints (Swift side)")
struct MessageAndFingerprintTests {
    @Test("the DeltaMessage example of ATOMIK.md")
    func messageExample() throws {
        let m = DeltaMessage(addr: 0x0102_0304, delta: 0x1122_3344_5566_7788, seq: 0x0A0B_0C0D)
        let hex = m.bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        #expect(hex == "01020304" + "1122334455667788" + "0a0b0c0d")
        let back = try DeltaMessage(bytes: m.bytes)
        #expect(back == DeltaMessage(addr: 0x0102_0304, delta: 0x1122_3344_5566_7788, epoch: 0, seq: 0x0A0B_0C0D))
        for n in [0, 1, 15, 17, 32] {
            #expect(throws: AtomikError.messageLength(n)) { _ = try DeltaMessage(bytes: [UInt8](repeating: 0, count: n)) }
        }
        #expect(throws: AtomikError.self) { _ = try DeltaMessage(addr: 1 << 32, delta: .zero, seq: 0) }
        #expect(throws: AtomikError.self) { _ = try DeltaMessage(addr: -1, delta: .zero, seq: 0) }
        #expect(throws: AtomikError.self) { _ = try DeltaMessage(addr: 0, delta: Word.mask(width: 65), seq: 0) }
        #expect(throws: AtomikError.self) { _ = try DeltaMessage(addr: 0, delta: .zero, seq: 1 << 32) }
        #expect(throws: Never.self) { _ = try DeltaMessage(addr: Int(UInt32.max), delta: Word.mask(width: 64), seq: Int(UInt32.max)) }
    }

    @Test("DeltaStream: seq counts from 1, unknown addresses read 0, a message applied twice cancels")
    func deltaStream() throws {
        var a = try DeltaStream(width: 32)
        var b = try DeltaStream(width: 32)
        a.load(addr: 7, initialState: 0xCAFE_BABE)
        b.load(addr: 7, initialState: 0xCAFE_BABE)
        let m1 = a.accum(addr: 7, delta: 0xFF)
        let m2 = a.accum(addr: 9, delta: 0x1_0000_0001)
        #expect(m1.seq == 1 && m2.seq == 2)
        #expect(a.pending() == [m1, m2])
        #expect(a.pending().isEmpty)
        b.apply(m2); b.apply(m1)
        #expect(b.read(addr: 7) == a.read(addr: 7))
        #expect(b.read(addr: 9) == 1)
        #expect(b.read(addr: 12345) == 0)
        b.apply(m1)
        #expect(b.read(addr: 7) == 0xCAFE_BABE)
        #expect(throws: AtomikError.invalidWidth(65, allowed: 1...64)) { _ = try DeltaStream(width: 65) }
    }

    @Test("Fingerprint: examples of ATOMIK.md and width validation")
    func fingerprint() throws {
        #expect(try Fingerprint.reduce([UInt8](), width: 64) == .zero)
        #expect(try Fingerprint.reduce(Array(0..<8) as [UInt8], width: 64) == Word(0x0706_0504_0302_0100))
        #expect(try Fingerprint.reduce([1, 2, 3] as [UInt8], width: 16) == Word(0x0201 ^ 0x03))
        #expect(try Fingerprint.reduce([0xFF, 0, 0, 0] as [UInt8], width: 8) == Word(0xFF))
        for w in [0, 4, 7, 12, 63, 65, 513, 520, -8] {
            #expect(throws: AtomikError.fingerprintWidth(w)) { _ = try Fingerprint(width: w) }
            #expect(throws: AtomikError.fingerprintWidth(w)) { _ = try Fingerprint.reduce([1, 2, 3] as [UInt8], width: w) }
        }
        var fp = try Fingerprint(width: 64)
        fp.load(Array("hello world".utf8))
        #expect(!fp.changed)
        fp.update(Array("hello world".utf8))
        #expect(!fp.changed)
        fp.update(Array("hello worle".utf8))
        #expect(fp.changed)
        #expect(fp.value == (try Fingerprint.reduce(Array("hello worle".utf8), width: 64)))
        fp.reset()
        #expect(!fp.changed)
        // A checksum, not a hash: appended zero bytes are not detected.
        fp.update(Array("hello world".utf8) + [0, 0])
        #expect(!fp.changed)
    }
}

@Suite struct SyncTableTests {
    /// Peers that receive each other's messages once, in any order, converge;
    /// the delta on the wire is atomik-core's unmasked `current ^ value`.
    @Test func peersConverge() throws {
        let a = try SyncTable(contexts: 8, width: 16), b = try SyncTable(contexts: 8, width: 16)
        let m1 = try a.put(addr: 3, value: 0x1234)
        let m2 = try b.put(addr: 5, value: 0xFF_ABCD)  // over-wide: the message keeps the full delta
        #expect(m2.delta == 0xFF_ABCD && m2.seq == 1)
        try b.receive(wire: m1.bytes)
        try a.receive(wire: m2.bytes)
        #expect(a.diff(b).isEmpty)
        #expect(try a.get(5) == 0xABCD && a.get(3) == 0x1234)
        let unchanged = try a.put(addr: 3, value: 0x1234)
        #expect(unchanged.delta == 0 && unchanged.seq == 1)
    }
}
