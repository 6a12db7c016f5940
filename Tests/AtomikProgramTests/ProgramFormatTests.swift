import AtomikCore
import AtomikISA
import AtomikProgram
import AtomikStimulus
import Foundation
import Testing

// MARK: - Helpers shared by the program tests

/// A fresh temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "atomik-tests") throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func read(_ name: String) throws -> String { try Self.read(path: file(name)) }

    static func read(path: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }
}

/// Parses one line of program text.
func parseLine(_ text: String, options: ProgramOptions = ProgramOptions()) throws(ProgramError) -> ProgramItem? {
    var copy = text
    let result: Result<ProgramItem?, ProgramError> = copy.withUTF8 { buf in
        do throws(ProgramError) { return .success(try TextFormat.parse(line: buf, number: 1, file: "t", options: options)) } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

/// Every item of the program at `path`.
func readItems(_ path: String, options: ProgramOptions) throws -> [ProgramItem] {
    let source = try ProgramSource(path: path, options: options)
    var items: [ProgramItem] = []
    while let item = try source.next() { items.append(item) }
    return items
}

/// Runs a program file on the software engine (in process) and returns its output.
func runEngine(_ programPath: String, options: ProgramOptions, final: Bool, in dir: TemporaryDirectory) throws -> String {
    let out = dir.file(UUID().uuidString + ".out")
    do {
        let source = try ProgramSource(path: programPath, options: options)
        let writer = try ByteWriter(path: out)
        _ = try SoftwareEngine.run(source, output: writer, final: final)
    }
    return try TemporaryDirectory.read(path: out)
}

/// `item` with its data masked to `width` bits (what a non-strict reader makes of it).
func masked(_ item: ProgramItem, width: Int) -> ProgramItem {
    guard case .op(var inst) = item else { return item }
    inst.data = inst.data & Word.mask(width: width)
    return .op(inst)
}

/// `items` with a reset (of 1 to 3 cycles, mostly 1) inserted after about one item in 300.
func withResets(_ items: [ProgramItem], seed: UInt64) -> [ProgramItem] {
    var rng = StimulusRandom(seed: seed, name: "resets")
    var out: [ProgramItem] = []
    out.reserveCapacity(items.count + items.count / 200)
    for item in items {
        out.append(item)
        if rng.below(300) == 0 { out.append(.reset(rng.below(4) == 0 ? Int(rng.below(3)) + 1 : 1)) }
    }
    return out
}

/// The canonical text of a program: one `TextFormat.format` line per item.
func canonicalText(_ items: [ProgramItem]) -> String {
    items.map { TextFormat.format($0) + "\n" }.joined()
}

// MARK: - Number literals

@Suite("NumberLiteral")
struct NumberLiteralTests {
    static func value(_ text: String) -> NumberLiteral? { try? NumberLiteral.parse(text).get() }

    /// The parsed value and overflow flag, comparable in expectations.
    struct L: Equatable { var value: Word; var exceeds512: Bool }
    static func lit(_ text: String) -> L? { value(text).map { L(value: $0.value, exceeds512: $0.exceeds512) } }

    static func hexWord(_ hex: String) -> Word {
        var limbs = SIMD8<UInt64>(repeating: 0)
        for (i, c) in hex.reversed().enumerated() {
            limbs[i / 16] |= UInt64(c.hexDigitValue!) << UInt64((i % 16) * 4)
        }
        return Word(limbs: limbs)
    }

    @Test("decimal, hex, underscores and case")
    func valid() {
        let cases: [(String, Word)] = [
            ("0", .zero), ("7", Word(7)), ("42", Word(42)), ("007", Word(7)),
            ("0x2A", Word(42)), ("0X2a", Word(42)), ("0x0", .zero), ("0x000000ff", Word(255)),
            ("1_000", Word(1000)), ("1_0_0", Word(100)), ("0_1", Word(1)),
            ("0xdead_beef", Word(0xDEAD_BEEF)), ("0xCAFE_BABE", Word(0xCAFE_BABE)),
            ("18446744073709551615", Word(.max)),
            ("18446744073709551616", Self.hexWord("10000000000000000")),
            ("0x1_0000_0000_0000_0000", Self.hexWord("10000000000000000")),
            ("340282366920938463463374607431768211457", Self.hexWord("100000000000000000000000000000001")),
        ]
        for (text, want) in cases {
            let lit = Self.value(text)
            #expect(lit?.value == want, "\(text)")
            #expect(lit?.exceeds512 == false, "\(text)")
        }
    }

    @Test("512-bit edges: 2^512 - 1 fits, 2^512 and beyond are reduced modulo 2^512 and flagged")
    func wide() {
        let max512 = "0x" + String(repeating: "f", count: 128)
        #expect(Self.lit(max512) == L(value: Word.mask(width: 512), exceeds512: false))
        #expect(Self.lit("0x1" + String(repeating: "0", count: 128)) == L(value: .zero, exceeds512: true))
        #expect(Self.lit("0x3" + String(repeating: "0", count: 127) + "5") == L(value: Self.hexWord("5"), exceeds512: true))
        // 2^512 in decimal, and 2^512 + 9.
        let twoTo512 = "13407807929942597099574024998205846127479365820592393377723561443721764030073546976801874298166903427690031858186486050853753882811946569946433649006084096"
        #expect(Self.lit(twoTo512) == L(value: .zero, exceeds512: true))
        let twoTo512Plus9 = String(twoTo512.dropLast(3)) + "105"
        #expect(Self.lit(twoTo512Plus9) == L(value: Word(9), exceeds512: true))
        // A 600-bit value: the low 512 bits are kept.
        let big = "0x" + String(repeating: "a", count: 150)
        #expect(Self.lit(big) == L(value: Self.hexWord(String(repeating: "a", count: 128)), exceeds512: true))
    }

    @Test("negative values wrap modulo 2^512 and are flagged (except -0)")
    func negative() {
        #expect(Self.lit("-0") == L(value: .zero, exceeds512: false))
        #expect(Self.lit("-0x0") == L(value: .zero, exceeds512: false))
        #expect(Self.lit("-1") == L(value: Word.mask(width: 512), exceeds512: true))
        #expect(Self.lit("-0x10") == L(value: Word.mask(width: 512) ^ Word(0xF), exceeds512: true))
        #expect(Self.lit("-2") == L(value: Word.mask(width: 512) ^ Word(1), exceeds512: true))
        #expect(Self.lit("-1_0") == L(value: Word.mask(width: 512) ^ Word(9), exceeds512: true))
        // -(2^512) is 0 modulo 2^512; -(2^512 + 1) is all ones.
        #expect(Self.lit("-0x1" + String(repeating: "0", count: 128)) == L(value: .zero, exceeds512: true))
        #expect(Self.lit("-0x1" + String(repeating: "0", count: 127) + "1") == L(value: Word.mask(width: 512), exceeds512: true))
        // Masked to a width, -1 is all ones of that width.
        let minusOne = Self.value("-1")!
        #expect(minusOne.value & Word.mask(width: 13) == Word(0x1FFF))
        #expect(minusOne.isWider(than: 512))
    }

    @Test("isWider(than:)")
    func isWider() {
        #expect(!Self.value("0xff")!.isWider(than: 8))
        #expect(Self.value("0x100")!.isWider(than: 8))
        #expect(!Self.value("0x100")!.isWider(than: 9))
        #expect(!Self.value("0")!.isWider(than: 1))
        #expect(Self.value("2")!.isWider(than: 1))
        #expect(!Self.value("-0")!.isWider(than: 1))
        #expect(!Self.value("0x" + String(repeating: "f", count: 128))!.isWider(than: 512))
    }

    @Test("malformed literals are rejected with the offending text", arguments: [
        "", "0x", "0X", "-", "--1", "+1", "1__2", "_1", "1_", "12a", "0xg", "0x_1", "0x1_", " 1", "1 ", "1.0",
        "1e3", "-_1", "0b101", "x10", "１", "0x-1",
    ])
    func malformed(text: String) {
        switch NumberLiteral.parse(text) {
        case .success(let lit): Issue.record("'\(text)' parsed as \(lit.value)")
        case .failure(let e): #expect(e.message.hasPrefix("invalid number '\(text)': "), "\(e.message)")
        }
    }

    @Test("malformed literals say why")
    func malformedMessages() {
        func message(_ t: String) -> String? {
            if case .failure(let e) = NumberLiteral.parse(t) { return e.message }
            return nil
        }
        #expect(message("0x") == "invalid number '0x': no digits")
        #expect(message("1__2") == "invalid number '1__2': '_' must stand between digits")
        #expect(message("_1") == "invalid number '_1': '_' must stand between digits")
        #expect(message("1_") == "invalid number '1_': '_' must stand between digits")
        #expect(message("12a") == "invalid number '12a': expected decimal digits")
        #expect(message("0xg") == "invalid number '0xg': expected hex digits")
    }
}

// MARK: - Program text

@Suite("TextFormat")
struct TextFormatTests {
    @Test("valid lines: any-case mnemonics, spacing, comments, SWAP forms, nop counts")
    func validLines() throws {
        let cases: [(String, ProgramItem?)] = [
            ("", nil), ("   ", nil), ("# comment", nil), ("\t; comment", nil),
            ("load 1, 2", .op(.load(1, Word(2)))),
            ("LOAD 1,2", .op(.load(1, Word(2)))),
            ("\tAccum\t2 ,\t0X1F   # trailing", .op(.accum(2, Word(0x1F)))),
            ("read 0;c", .op(.read(0))),
            ("ReAd 255", .op(.read(255))),
            ("swap 3", .op(.swap(3))),
            ("swap 3, 0", .op(.swap(3, .zero))),
            ("swap 0x3,0x0", .op(.swap(3, .zero))),
            ("SWAP 3, 1_000", .op(.swap(3, Word(1000)))),
            ("nop", .idle(1)), ("NOP 5", .idle(5)), ("nop 0x10 # x", .idle(16)),
            ("nop 1_099_511_627_775", .idle(1 << 40 - 1)),
            ("reset", .reset(1)), ("RESET 3", .reset(3)), ("Reset\t0x2 ; held", .reset(2)),
            ("load 1, -1", .op(.load(1, Word.mask(width: 64)))),
            ("load 1, 0x1_0000_0000_0000_0001", .op(.load(1, Word(1)))),
        ]
        for (line, want) in cases {
            #expect(try parseLine(line) == want, "'\(line)'")
        }
        #expect(try parseLine("swap 3") != parseLine("swap 3, 0"))
        if case .op(let keep)? = try parseLine("swap 3"), case .op(let zero)? = try parseLine("swap 3, 0") {
            #expect(keep.keep && !keep.hasData)
            #expect(!zero.keep && zero.hasData && zero.data == .zero)
        } else {
            Issue.record("swap lines did not parse as operations")
        }
    }

    /// (line, options, column, message)
    static let errorCases: [(String, ProgramOptions, Int, String)] = [
        ("frob 1, 2", ProgramOptions(), 1, "unknown mnemonic 'frob': expected load, accum, read, swap, nop or reset"),
        ("  load 1 2", ProgramOptions(), 10, "expected ',' or end of line"),
        ("read 1, 2", ProgramOptions(), 7, "'read' takes an address only"),
        ("load 300, 1", ProgramOptions(), 6, "address 300 out of range [0, 255] (--contexts 256)"),
        ("read 4", ProgramOptions(width: 8, contexts: 4), 6, "address 4 out of range [0, 3] (--contexts 4)"),
        ("load -1, 1", ProgramOptions(), 6, "address (negative or over 512 bits) out of range [0, 255] (--contexts 256)"),
        ("load 1, 0x100", ProgramOptions(width: 8, strict: true), 9, "value 0x100 is wider than 8 bits (--strict)"),
        ("accum 1, -1", ProgramOptions(width: 8, strict: true), 10, "a negative value wraps to two's complement, which --strict refuses (a value is 0 to 2^8 - 1)"),
        ("swap 1, 2", ProgramOptions(width: 1, strict: true), 9, "value 0x2 is wider than 1 bits (--strict)"),
        ("load 1", ProgramOptions(), 7, "'load' takes an address and a value: expected ', VALUE'"),
        ("accum 1", ProgramOptions(), 8, "'accum' takes an address and a value: expected ', VALUE'"),
        ("nop 0", ProgramOptions(), 5, "expected a cycle count in 1...1099511627775"),
        ("nop 0x10000000000", ProgramOptions(), 5, "expected a cycle count in 1...1099511627775"),
        ("load 1, 2 x", ProgramOptions(), 11, "unexpected text after the instruction"),
        ("load 1, 2, 3", ProgramOptions(), 10, "unexpected text after the instruction"),
        ("nop 1 2", ProgramOptions(), 7, "unexpected text after the instruction"),
        ("load 1, 12a", ProgramOptions(), 9, "invalid number '12a': expected decimal digits"),
        ("accum 1, 1__2", ProgramOptions(), 10, "invalid number '1__2': '_' must stand between digits"),
        ("load 0x, 1", ProgramOptions(), 6, "invalid number '0x': no digits"),
        ("load1, 2", ProgramOptions(), 5, "expected a space after 'load'"),
        ("load 1,", ProgramOptions(), 8, "expected a value"),
        ("swap", ProgramOptions(), 5, "expected an address"),
        ("reset 0", ProgramOptions(), 7, "expected a cycle count in 1...1099511627775"),
        ("reset 1, 2", ProgramOptions(), 8, "unexpected text after the instruction"),
        ("nop x", ProgramOptions(), 5, "invalid number 'x': expected decimal digits"),
        ("resetx", ProgramOptions(), 1, "unknown mnemonic 'resetx': expected load, accum, read, swap, nop or reset"),
        ("123", ProgramOptions(), 1, "expected a mnemonic (load, accum, read, swap, nop or reset)"),
    ]

    @Test("errors carry the column and say what was expected", arguments: 0..<errorCases.count)
    func errors(index: Int) {
        let (line, options, column, message) = Self.errorCases[index]
        do {
            let item = try parseLine(line, options: options)
            Issue.record("'\(line)' parsed as \(String(describing: item))")
        } catch {
            #expect(error.message == message, "'\(line)'")
            #expect(error.location?.line == 1 && error.location?.column == column, "'\(line)': \(error)")
            #expect(error.description == "t:1:\(column): error: \(message)")
        }
    }

    @Test("strict accepts values that fit; non-strict masks over-wide and negative values")
    func strictness() throws {
        let strict = ProgramOptions(width: 8, strict: true)
        #expect(try parseLine("load 1, 0xff", options: strict) == .op(.load(1, Word(0xFF))))
        #expect(try parseLine("load 1, -0", options: strict) == .op(.load(1, .zero)))
        let loose = ProgramOptions(width: 8)
        #expect(try parseLine("load 1, 0x1ff", options: loose) == .op(.load(1, Word(0xFF))))
        #expect(try parseLine("load 1, -1", options: loose) == .op(.load(1, Word(0xFF))))
        #expect(try parseLine("load 1, -0x80", options: loose) == .op(.load(1, Word(0x80))))
        #expect(try parseLine("swap 1, 0x" + String(repeating: "f", count: 150), options: ProgramOptions(width: 512))
            == .op(.swap(1, Word.mask(width: 512))))
    }

    @Test("errors from a file name the file, the line and the column")
    func fileLocations() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("prog.txt", "# header\n\nload 0, 1\r\n  bogus 1\nread 0\n")
        let source = try ProgramSource(path: path, options: ProgramOptions())
        #expect(source.format == .text)
        #expect(try source.next() == .op(.load(0, Word(1))))
        #expect(throws: ProgramError("unknown mnemonic 'bogus': expected load, accum, read, swap, nop or reset",
                                     at: AtomikProgram.SourceLocation(file: path, line: 4, column: 3))) {
            _ = try source.next()
        }
        let path2 = try dir.write("prog2.txt", "load 0, 1\nread 0\nread 0, 1")
        do {
            _ = try readItems(path2, options: ProgramOptions())
            Issue.record("no error")
        } catch let e as ProgramError {
            #expect(e.description == "\(path2):3:7: error: 'read' takes an address only")
        }
    }

    @Test("CRLF, a last line without newline and blank lines are accepted")
    func lineEndings() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("p.txt", "load 0, 5\r\n\r\n\nACCUM 0, 3\r\nread 0")
        #expect(try readItems(path, options: ProgramOptions()) == [.op(.load(0, Word(5))), .op(.accum(0, Word(3))), .op(.read(0))])
    }

    @Test("format then parse gives the item back (masked when over-wide)", arguments: [1, 8, 13, 64, 65, 200, 512])
    func formatParseRoundTrip(width: Int) throws {
        let options = ProgramOptions(width: width, contexts: 17)
        for overWide in [false, true] {
            for item in RandomProgram(width: width, contexts: 17, count: 2000, seed: 11, overWide: overWide) {
                let text = TextFormat.format(item)
                #expect(try parseLine(text, options: options) == masked(item, width: width), "\(text)")
                if !overWide {
                    #expect(try parseLine(text, options: ProgramOptions(width: width, contexts: 17, strict: true)) == item)
                }
            }
        }
    }

    @Test("canonical text of each item kind")
    func canonicalFormat() {
        #expect(TextFormat.format(.op(.load(3, Word(0xCAFE)))) == "load 3, 0xcafe")
        #expect(TextFormat.format(.op(.accum(0, .zero))) == "accum 0, 0x0")
        #expect(TextFormat.format(.op(.read(255))) == "read 255")
        #expect(TextFormat.format(.op(.swap(7))) == "swap 7")
        #expect(TextFormat.format(.op(.swap(7, .zero))) == "swap 7, 0x0")
        #expect(TextFormat.format(.idle(1)) == "nop")
        #expect(TextFormat.format(.idle(4)) == "nop 4")
        #expect(TextFormat.format(.reset(1)) == "reset")
        #expect(TextFormat.format(.reset(9)) == "reset 9")
    }
}

// MARK: - Binary format and assembler

@Suite("BinaryFormat and Assembler")
struct BinaryFormatTests {
    static func binary(_ items: [ProgramItem]) -> [UInt8] {
        var bytes = BinaryFormat.magic
        for item in items { BinaryFormat.encode(item, into: &bytes) }
        return bytes
    }

    @Test("random programs round-trip through the binary format item for item",
          arguments: [(1, 1), (8, 4), (13, 17), (64, 256), (65, 300), (200, 4), (512, 17)])
    func binaryRoundTrip(width: Int, contexts: Int) throws {
        let dir = try TemporaryDirectory()
        let options = ProgramOptions(width: width, contexts: contexts)
        for overWide in [false, true] {
            let items = withResets(Array(RandomProgram(width: width, contexts: contexts, count: 3000, seed: 5, overWide: overWide)), seed: 5)
            let path = try dir.write("p.bin", Self.binary(items))
            let source = try ProgramSource(path: path, options: options)
            #expect(source.format == .binary)
            var back: [ProgramItem] = []
            while let item = try source.next() { back.append(item) }
            #expect(back.count == items.count)
            #expect(back == items.map { masked($0, width: width) }, "overWide \(overWide)")
        }
    }

    @Test("assemble then disassemble gives the canonical text", arguments: [1, 8, 64, 65, 512])
    func assembleDisassemble(width: Int) throws {
        let dir = try TemporaryDirectory()
        let options = ProgramOptions(width: width, contexts: 17)
        let items = withResets(Array(RandomProgram(width: width, contexts: 17, count: 3000, seed: 9, overWide: false)), seed: 9)
        let text = canonicalText(items)
        let textPath = try dir.write("p.txt", text)
        let binPath = dir.file("p.bin")
        let n = try Assembler.assemble(try ProgramSource(path: textPath, options: options), to: try ByteWriter(path: binPath))
        #expect(n == items.count)
        let outPath = dir.file("p.dis.txt")
        _ = try Assembler.disassemble(try ProgramSource(path: binPath, options: options), to: try ByteWriter(path: outPath))
        #expect(try TemporaryDirectory.read(path: outPath) == text)
        // Running the text and the binary gives the same results.
        #expect(try runEngine(textPath, options: options, final: true, in: dir) == runEngine(binPath, options: options, final: true, in: dir))
    }

    @Test("a hand-written program disassembles to its canonical form")
    func handWritten() throws {
        let dir = try TemporaryDirectory()
        let text = """
            # hand-written
            LOAD 0x0, 0xCAFE_BABE   ; initial
            \tAccum 1 ,1_000
            nop
            NOP 3
            Reset 0x2
            read 1
            Swap 2
            swap 2, 0
            swap 3, -1
            load 1, 0x1_0000_0001
            """
        let canonical = """
            load 0, 0xcafebabe
            accum 1, 0x3e8
            nop
            nop 3
            reset 2
            read 1
            swap 2
            swap 2, 0x0
            swap 3, 0xffffffff
            load 1, 0x1

            """
        let options = ProgramOptions(width: 32, contexts: 4)
        let textPath = try dir.write("h.txt", text)
        let binPath = dir.file("h.bin")
        _ = try Assembler.assemble(try ProgramSource(path: textPath, options: options), to: try ByteWriter(path: binPath))
        let outPath = dir.file("h.dis")
        _ = try Assembler.disassemble(try ProgramSource(path: binPath, options: options), to: try ByteWriter(path: outPath))
        #expect(try TemporaryDirectory.read(path: outPath) == canonical)
    }

    @Test("record encodings")
    func encodings() {
        #expect(Self.binary([]) == Array("ATMKPRG1".utf8))
        #expect(Array(Self.binary([.op(.accum(5, Word(0x1234)))]).dropFirst(8)) == [0x01, 0x05, 0x02, 0x34, 0x12])
        #expect(Array(Self.binary([.op(.load(200, .zero))]).dropFirst(8)) == [0x00, 0xC8, 0x01, 0x00])
        #expect(Array(Self.binary([.op(.read(1))]).dropFirst(8)) == [0x02, 0x01])
        #expect(Array(Self.binary([.op(.swap(1))]).dropFirst(8)) == [0x07, 0x01])
        #expect(Array(Self.binary([.op(.swap(1, .zero))]).dropFirst(8)) == [0x03, 0x01, 0x00])
        #expect(Array(Self.binary([.idle(300)]).dropFirst(8)) == [0x08, 0xAC, 0x02])
        #expect(Array(Self.binary([.reset(1)]).dropFirst(8)) == [0x0C, 0x01])
    }

    /// (record bytes after the magic, options, message)
    static let errorCases: [([UInt8], ProgramOptions, String)] = [
        ([0x00, 0x01], ProgramOptions(), "stream ends inside a record: expected a value length"),
        ([0x00, 0x01, 0x02, 0xFF], ProgramOptions(), "stream ends inside a record: expected value bytes"),
        ([0x02], ProgramOptions(), "stream ends inside a record: expected an address"),
        ([0x02, 0x80], ProgramOptions(), "stream ends inside a record: expected an address"),
        ([0x10], ProgramOptions(), "bad record tag 0x10: expected bits 7:4 zero"),
        ([0x09, 0x01], ProgramOptions(), "bad record tag 0x9: expected 0x08 (idle) or 0x0c (reset)"),
        ([0x0F, 0x01], ProgramOptions(), "bad record tag 0xf: expected 0x08 (idle) or 0x0c (reset)"),
        ([0x0C, 0x00], ProgramOptions(), "cycle count 0 outside 1...1099511627775"),
        ([0x0C], ProgramOptions(), "stream ends inside a record: expected a cycle count"),
        ([0x04, 0x00, 0x00], ProgramOptions(), "keep bit set on load: only SWAP has it"),
        ([0x06, 0x00], ProgramOptions(), "keep bit set on read: only SWAP has it"),
        ([0x02, 0x05], ProgramOptions(width: 8, contexts: 4), "address 5 out of range [0, 3] (--contexts 4)"),
        ([0x00, 0x00, 65], ProgramOptions(), "value length 65 bytes: expected at most 64"),
        ([0x00, 0x00, 0x02, 0x00, 0x01], ProgramOptions(width: 8, strict: true), "value 0x100 is wider than 8 bits (--strict)"),
        ([0x08, 0x00], ProgramOptions(), "cycle count 0 outside 1...1099511627775"),
        ([0x02] + [UInt8](repeating: 0x80, count: 10), ProgramOptions(), "an address is longer than 64 bits"),
    ]

    @Test("malformed binary records are errors at the record's byte offset", arguments: 0..<errorCases.count)
    func binaryErrors(index: Int) throws {
        let (record, options, message) = Self.errorCases[index]
        let dir = try TemporaryDirectory()
        // A valid first record, so the offset of the bad one is 8 + 2.
        let path = try dir.write("e.bin", BinaryFormat.magic + [0x02, 0x00] + record)
        let source = try ProgramSource(path: path, options: options)
        #expect(try source.next() == .op(.read(0)))
        #expect(throws: ProgramError(message, at: AtomikProgram.SourceLocation(file: path, byteOffset: 10))) {
            _ = try source.next()
        }
    }

    @Test("a LEB128 address that overflows 64 bits is an error, not silently truncated")
    func lebOverflow() throws {
        let dir = try TemporaryDirectory()
        // 2^64 as LEB128: nine 0x80 bytes then 0x02.
        let path = try dir.write("o.bin", BinaryFormat.magic + [0x02] + [UInt8](repeating: 0x80, count: 9) + [0x02])
        let source = try ProgramSource(path: path, options: ProgramOptions())
        #expect(throws: ProgramError("an address is longer than 64 bits",
                                     at: AtomikProgram.SourceLocation(file: path, byteOffset: 8))) {
            _ = try source.next()
        }
    }
}

// MARK: - Software engine

@Suite("SoftwareEngine output")
struct SoftwareEngineTests {
    @Test("a small program gives the expected result lines")
    func golden() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("g.txt", """
            LOAD 0, 0xCAFE_BABE   ; c
            accum 0,1
            Read 0
            swap 0
            swap 1, 0
            nop 3
            swap 0, -1
            read 0
            accum 1, 0x1_0000_0000_0000_0000_1
            read 11
            """)
        let want = """
            2 read 0 0x00000000cafebabf
            3 swap 0 0x00000000cafebabf
            4 swap 1 0x0000000000000000
            5 swap 0 0x00000000cafebabf
            6 read 0 0xffffffffffffffff
            8 read 11 0x0000000000000000
            final 0 0xffffffffffffffff
            final 1 0x0000000000000001

            """
        #expect(try runEngine(path, options: ProgramOptions(width: 64, contexts: 12), final: true, in: dir) == want)
        let wantWithoutFinal = want.split(separator: "\n").filter { !$0.hasPrefix("final") }.map { $0 + "\n" }.joined()
        #expect(try runEngine(path, options: ProgramOptions(width: 64, contexts: 12), final: false, in: dir) == wantWithoutFinal)
        #expect(try runEngine(path, options: ProgramOptions(width: 5, contexts: 12), final: true, in: dir) == """
            2 read 0 0x1f
            3 swap 0 0x1f
            4 swap 1 0x00
            5 swap 0 0x1f
            6 read 0 0x1f
            8 read 11 0x00
            final 0 0x1f
            final 1 0x01

            """)
    }

    @Test("reset clears every context and is not counted as an operation")
    func resetItem() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("r.txt", "load 0, 5\nload 3, 9\nreset\nread 0\nload 1, 2\nreset 4\naccum 2, 1\nread 2\n")
        #expect(try runEngine(path, options: ProgramOptions(width: 8, contexts: 4), final: true, in: dir) == """
            2 read 0 0x00
            5 read 2 0x01
            final 2 0x01

            """)
    }

    @Test("the streaming engine and the in-memory engine agree", arguments: [1, 64, 65, 512])
    func streamingMatchesInMemory(width: Int) throws {
        let dir = try TemporaryDirectory()
        let items = withResets(Array(RandomProgram(width: width, contexts: 9, count: 3000, seed: 21)), seed: 21)
        let path = try dir.write("s.txt", canonicalText(items))
        let options = ProgramOptions(width: width, contexts: 9)
        var expected = ""
        let results: [OperationResult]
        let finals: [(address: Int, state: Word)]
        if width <= 64 {
            let table = try AtomikTable<UInt64>(contexts: 9, width: width)
            results = try SoftwareEngine.run(items, on: table)
            finals = table.nonZeroStates().map { ($0.address, $0.state.word) }
        } else {
            let table = try AtomikTable<Word>(contexts: 9, width: width)
            results = try SoftwareEngine.run(items, on: table)
            finals = table.nonZeroStates().map { ($0.address, $0.state) }
        }
        for r in results { expected += ResultFormat.line(r, width: width) }
        var tail: [UInt8] = []
        for f in finals { ResultFormat.appendFinal(address: f.address, state: f.state, width: width, to: &tail) }
        expected += String(decoding: tail, as: UTF8.self)
        #expect(try runEngine(path, options: options, final: true, in: dir) == expected)
        // Result indices count operations, not idle cycles.
        let ops = items.filter { if case .op = $0 { true } else { false } }
        #expect(items.contains(.reset(1)))
        for r in results {
            guard case .op(let inst) = ops[r.index] else { continue }
            #expect(inst.opcode == r.opcode && inst.address == r.address)
        }
    }
}
